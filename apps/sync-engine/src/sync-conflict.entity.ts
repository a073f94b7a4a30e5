import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ConflictRecord } from '@incident-sync/sync-domain';

/** A conflict of one link's field; `record` mirrors the sync-domain ConflictRecord in the link state. */
@Entity({ name: 'sync_conflict' })
@Index('IX_sync_conflict_open', ['organizationId', 'status', 'openedAt'])
export class SyncConflictEntity {
  /** A UUID derived from the domain's `<linkId>/conflict/<seq>` (URL-safe for the REST API). */
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'domain_conflict_id', type: 'varchar', length: 300 }) domainConflictId!: string;
  @Column({ name: 'organization_id', type: 'varchar', length: 200 }) organizationId!: string;
  @Column({ name: 'integration_id', type: 'varchar', length: 200 }) integrationId!: string;
  @Column({ name: 'link_id', type: 'uuid' }) linkId!: string;
  @Column({ name: 'platform_incident_id', type: 'uuid' }) platformIncidentId!: string;
  @Column({ name: 'pd_incident_id', type: 'varchar', length: 200, nullable: true }) pdIncidentId!: string | null;
  @Column({ type: 'varchar', length: 40 }) field!: string;
  @Column({ type: 'varchar', length: 20 }) status!: 'open' | 'resolved';
  @Column({ type: 'jsonb' }) record!: ConflictRecord;
  @Column({ name: 'opened_at', type: 'timestamptz' }) openedAt!: Date;
  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true }) resolvedAt!: Date | null;
  @Column({ name: 'resolved_by', type: 'varchar', length: 300, nullable: true }) resolvedBy!: string | null;
  @Column({ type: 'varchar', length: 40, nullable: true }) resolution!: string | null;
}

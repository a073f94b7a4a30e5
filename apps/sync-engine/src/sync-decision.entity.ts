import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One decision of the sync, with its reason: the per-incident sync history. */
@Entity({ name: 'sync_decision' })
@Index('IX_sync_decision_platform', ['platformIncidentId', 'seq'])
@Index('IX_sync_decision_pd', ['integrationId', 'pdIncidentId', 'seq'])
@Index('IX_sync_decision_integration', ['integrationId', 'seq'])
export class SyncDecisionEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) seq!: string;
  @Column({ name: 'organization_id', type: 'varchar', length: 200 }) organizationId!: string;
  @Column({ name: 'integration_id', type: 'varchar', length: 200 }) integrationId!: string;
  @Column({ name: 'link_id', type: 'uuid', nullable: true }) linkId!: string | null;
  @Column({ name: 'platform_incident_id', type: 'uuid', nullable: true }) platformIncidentId!: string | null;
  @Column({ name: 'pd_incident_id', type: 'varchar', length: 200, nullable: true }) pdIncidentId!: string | null;
  /** webhook | reconcile | platform-change | command-result | operator */
  @Column({ type: 'varchar', length: 40 }) source!: string;
  @Column({ name: 'source_id', type: 'varchar', length: 300 }) sourceId!: string;
  @Column({ name: 'event_type', type: 'varchar', length: 120, nullable: true }) eventType!: string | null;
  @Column({ type: 'varchar', length: 40, nullable: true }) field!: string | null;
  @Column({ type: 'varchar', length: 20, nullable: true }) side!: string | null;
  @Column({ type: 'varchar', length: 40 }) outcome!: string;
  @Column({ type: 'text' }) reason!: string;
  @Column({ name: 'conflict_id', type: 'varchar', length: 300, nullable: true }) conflictId!: string | null;
  @Column({ name: 'command_id', type: 'varchar', length: 300, nullable: true }) commandId!: string | null;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt!: Date;
}

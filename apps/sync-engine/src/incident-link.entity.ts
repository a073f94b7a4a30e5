import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { LinkState } from '@incident-sync/sync-domain';

/**
 * One platform incident ↔ one PagerDuty incident of one integration. `pd_incident_id` is null
 * from the moment the link is reserved (before the create is sent) until the dispatcher's
 * result names the PagerDuty incident. `state` is the sync-domain LinkState, stored as is.
 */
@Entity({ name: 'incident_link' })
@Index('UQ_incident_link_platform', ['integrationId', 'platformIncidentId'], { unique: true })
@Index('UQ_incident_link_pd', ['integrationId', 'pdIncidentId'], { unique: true })
@Index('IX_incident_link_platform_incident', ['platformIncidentId'])
export class IncidentLinkEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'organization_id', type: 'varchar', length: 200 }) organizationId!: string;
  @Column({ name: 'integration_id', type: 'varchar', length: 200 }) integrationId!: string;
  @Column({ name: 'platform_incident_id', type: 'uuid' }) platformIncidentId!: string;
  @Column({ name: 'pd_incident_id', type: 'varchar', length: 200, nullable: true }) pdIncidentId!: string | null;
  @Column({ name: 'pd_incident_number', type: 'integer', nullable: true }) pdIncidentNumber!: number | null;
  @Column({ name: 'pd_html_url', type: 'text', nullable: true }) pdHtmlUrl!: string | null;
  @Column({ type: 'jsonb' }) state!: LinkState;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt!: Date;
  @Column({ name: 'last_synced_at', type: 'timestamptz', nullable: true }) lastSyncedAt!: Date | null;
  @Column({ name: 'last_direction', type: 'varchar', length: 20, nullable: true }) lastDirection!: string | null;
}

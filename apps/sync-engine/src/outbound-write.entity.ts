import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Every pagerduty.commands message we issued, until the dispatcher's result settles it: maps
 * the command UUID back to the domain write, and its oldest unsettled row is the outbound lag.
 */
@Entity({ name: 'outbound_write' })
@Index('IX_outbound_write_open', ['integrationId', 'issuedAt'], { where: `"settled_at" IS NULL` })
@Index('IX_outbound_write_settled', ['integrationId', 'settledAt'], { where: `"settled_at" IS NOT NULL` })
export class OutboundWriteEntity {
  @PrimaryColumn({ name: 'command_id', type: 'uuid' }) commandId!: string;
  @Column({ name: 'organization_id', type: 'varchar', length: 200 }) organizationId!: string;
  @Column({ name: 'integration_id', type: 'varchar', length: 200 }) integrationId!: string;
  @Column({ name: 'link_id', type: 'uuid' }) linkId!: string;
  @Column({ name: 'platform_incident_id', type: 'uuid' }) platformIncidentId!: string;
  @Column({ name: 'domain_command_id', type: 'varchar', length: 300 }) domainCommandId!: string;
  @Column({ type: 'varchar', length: 40 }) action!: string;
  @Column({ name: 'issued_at', type: 'timestamptz', default: () => 'now()' }) issuedAt!: Date;
  @Column({ name: 'settled_at', type: 'timestamptz', nullable: true }) settledAt!: Date | null;
  @Column({ type: 'varchar', length: 20, nullable: true }) outcome!: string | null;
  @Column({ type: 'text', nullable: true }) error!: string | null;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Which dispatcher instance drains an integration's queue, with its fencing token (README "Fenced leases"). */
@Entity({ name: 'integration_lease' })
export class IntegrationLeaseEntity {
  @PrimaryColumn({ name: 'integration_id', type: 'varchar', length: 200 }) integrationId!: string;
  @Column({ type: 'varchar', length: 200 }) owner!: string;
  @Column({ name: 'expires_at', type: 'timestamptz' }) expiresAt!: Date;
  /** +1 whenever the lease changes hands (never reset: a release only expires the row). */
  @Column({ name: 'fencing_token', type: 'bigint', default: 0 }) fencingToken!: string;
  /** A 429 pause of the integration's token, honoured by whoever holds the lease next. */
  @Column({ name: 'paused_until', type: 'timestamptz', nullable: true }) pausedUntil!: Date | null;
}

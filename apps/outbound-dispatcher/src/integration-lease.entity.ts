import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Which dispatcher instance drains an integration's queue (see README "Scaling"). */
@Entity({ name: 'integration_lease' })
export class IntegrationLeaseEntity {
  @PrimaryColumn({ name: 'integration_id', type: 'varchar', length: 200 }) integrationId!: string;
  @Column({ type: 'varchar', length: 200 }) owner!: string;
  @Column({ name: 'expires_at', type: 'timestamptz' }) expiresAt!: Date;
}

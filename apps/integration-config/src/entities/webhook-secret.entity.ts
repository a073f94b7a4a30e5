import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A PagerDuty webhook signing secret; several are active while one is being rotated. */
@Entity({ name: 'webhook_secret' })
@Index('IX_webhook_secret_integration', ['integrationId'])
export class WebhookSecretEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'integration_id', type: 'uuid' }) integrationId!: string;
  /** AES-256-GCM, context `integration:<integration id>:webhook-secret:<id>`. */
  @Column({ type: 'text' }) ciphertext!: string;
  @Column({ type: 'varchar', length: 4 }) last4!: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

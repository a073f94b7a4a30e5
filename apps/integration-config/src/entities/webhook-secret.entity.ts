import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { IntegrationEntity } from './integration.entity';

/** A PagerDuty webhook signing secret; several are active while one is being rotated. */
@Entity({ name: 'webhook_secret' })
@Index('IX_webhook_secret_integration', ['integrationId'])
export class WebhookSecretEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'integration_id', type: 'uuid' }) integrationId!: string;
  /** Declares the foreign key only (ON DELETE CASCADE, as the migration creates it); rows are always read by integrationId. */
  @ManyToOne(() => IntegrationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'integration_id', foreignKeyConstraintName: 'webhook_secret_integration_id_fkey' })
  integration?: IntegrationEntity;
  /** AES-256-GCM, context `integration:<integration id>:webhook-secret:<id>`. */
  @Column({ type: 'text' }) ciphertext!: string;
  @Column({ type: 'varchar', length: 4 }) last4!: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

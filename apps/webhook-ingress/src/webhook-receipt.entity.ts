import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One accepted delivery. The unique constraints are the dedupe (FACTS §1.5, §3.4): PagerDuty
 * keeps X-Webhook-Id across retries of one delivery, and event.id identifies the event. Both
 * are scoped to the integration, since one event may reach several subscriptions.
 */
@Entity({ name: 'webhook_receipt' })
@Index('UQ_webhook_receipt_webhook', ['integrationId', 'webhookId'], { unique: true })
@Index('UQ_webhook_receipt_event', ['integrationId', 'eventId'], { unique: true })
@Index('IX_webhook_receipt_received_at', ['receivedAt'])
export class WebhookReceiptEntity {
  @PrimaryColumn({ name: 'receipt_id', type: 'uuid' }) receiptId!: string;
  @Column({ name: 'integration_id', type: 'varchar', length: 200 }) integrationId!: string;
  @Column({ name: 'webhook_id', type: 'varchar', length: 200, nullable: true }) webhookId!: string | null;
  @Column({ name: 'event_id', type: 'varchar', length: 200 }) eventId!: string;
  @Column({ name: 'event_type', type: 'varchar', length: 200 }) eventType!: string;
  @Column({ name: 'pd_incident_id', type: 'varchar', length: 200, nullable: true }) pdIncidentId!: string | null;
  @Column({ name: 'received_at', type: 'timestamptz' }) receivedAt!: Date;
}

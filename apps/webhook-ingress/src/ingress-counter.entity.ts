import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Running totals per integration for sync-status (inbound lag inputs). Kept apart from the
 * receipts because receipts are pruned after the dedupe window and totals are not.
 */
@Entity({ name: 'ingress_counter' })
export class IngressCounterEntity {
  @PrimaryColumn({ name: 'integration_id', type: 'varchar', length: 200 }) integrationId!: string;
  @Column({ name: 'accepted_total', type: 'bigint', default: 0 }) acceptedTotal!: string;
  @Column({ name: 'duplicate_total', type: 'bigint', default: 0 }) duplicateTotal!: string;
  @Column({ name: 'rejected_signature_total', type: 'bigint', default: 0 }) rejectedSignatureTotal!: string;
  @Column({ name: 'ping_total', type: 'bigint', default: 0 }) pingTotal!: string;
  @Column({ name: 'last_received_at', type: 'timestamptz', nullable: true }) lastReceivedAt!: Date | null;
  @Column({ name: 'last_event_occurred_at', type: 'timestamptz', nullable: true }) lastEventOccurredAt!: Date | null;
  @Column({ name: 'last_rejected_at', type: 'timestamptz', nullable: true }) lastRejectedAt!: Date | null;
}

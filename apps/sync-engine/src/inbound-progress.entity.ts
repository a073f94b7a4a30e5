import { Column, Entity, PrimaryColumn } from 'typeorm';

/** How far inbound processing is per integration (inbound lag in sync-status). */
@Entity({ name: 'inbound_progress' })
export class InboundProgressEntity {
  @PrimaryColumn({ name: 'integration_id', type: 'varchar', length: 200 }) integrationId!: string;
  @Column({ name: 'last_received_at', type: 'timestamptz', nullable: true }) lastReceivedAt!: Date | null;
  @Column({ name: 'last_processed_at', type: 'timestamptz', nullable: true }) lastProcessedAt!: Date | null;
  @Column({ name: 'last_lag_ms', type: 'integer', nullable: true }) lastLagMs!: number | null;
  @Column({ name: 'processed_total', type: 'bigint', default: 0 }) processedTotal!: string;
}

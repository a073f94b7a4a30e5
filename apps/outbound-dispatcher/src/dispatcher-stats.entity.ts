import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Per-integration counters behind the dispatcher status endpoint (shared by all replicas). */
@Entity({ name: 'dispatcher_stats' })
export class DispatcherStatsEntity {
  @PrimaryColumn({ name: 'integration_id', type: 'varchar', length: 200 }) integrationId!: string;
  @Column({ name: 'last_success_at', type: 'timestamptz', nullable: true }) lastSuccessAt!: Date | null;
  @Column({ name: 'last_error_at', type: 'timestamptz', nullable: true }) lastErrorAt!: Date | null;
  @Column({ name: 'last_error_message', type: 'text', nullable: true }) lastErrorMessage!: string | null;
  @Column({ name: 'rate_limited_429_count', type: 'bigint', default: 0 }) rateLimited429Count!: string;
  @Column({ name: 'dead_lettered_count', type: 'bigint', default: 0 }) deadLetteredCount!: string;
  @Column({ name: 'requests_total', type: 'bigint', default: 0 }) requestsTotal!: string;
}

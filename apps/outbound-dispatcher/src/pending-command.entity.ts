import { Check, Column, Entity, Generated, Index, PrimaryColumn } from 'typeorm';

/**
 * A `pagerduty.commands.v1` message stored durably before its offset is committed: the
 * primary key `intake_id` is the inbox (a redelivered command inserts nothing; a DLQ replay
 * has its own intake id, see command-intake.service.ts) and the row is the work
 * queue the integration's worker drains in `seq` order. Settled rows stay for
 * DISPATCH_RETENTION_DAYS so late redeliveries are still recognised.
 */
@Entity({ name: 'pending_command' })
@Check('CK_pending_command_status', `"status" IN ('pending', 'done', 'failed')`)
@Index('IX_pending_command_work', ['integrationId', 'seq'], { where: `"status" = 'pending'` })
@Index('IX_pending_command_settled', ['completedAt'], { where: `"status" <> 'pending'` })
@Index('IX_pending_command_command', ['commandId'])
export class PendingCommandEntity {
  @PrimaryColumn({ name: 'intake_id', type: 'uuid', primaryKeyConstraintName: 'PK_pending_command' }) intakeId!: string;
  @Column({ name: 'command_id', type: 'uuid' }) commandId!: string;
  /** The dead letter this row was replayed from (`dlq-replay-of`), null for a first delivery. */
  @Column({ name: 'replay_of', type: 'varchar', length: 200, nullable: true }) replayOf!: string | null;
  /** Fencing token of the lease under which the row was last claimed for a PagerDuty request. */
  @Column({ name: 'claim_token', type: 'bigint', nullable: true }) claimToken!: string | null;
  /** Until then the claim holder may be mid-request: nobody else sends the row. */
  @Column({ name: 'claim_until', type: 'timestamptz', nullable: true }) claimUntil!: Date | null;
  @Column({ type: 'bigint' }) @Generated('increment') seq!: string;
  @Column({ name: 'integration_id', type: 'varchar', length: 200 }) integrationId!: string;
  @Column({ name: 'organization_id', type: 'varchar', length: 200 }) organizationId!: string;
  @Column({ name: 'platform_incident_id', type: 'uuid' }) platformIncidentId!: string;
  @Column({ name: 'pd_incident_id', type: 'varchar', length: 200, nullable: true }) pdIncidentId!: string | null;
  @Column({ type: 'varchar', length: 40 }) action!: string;
  /** The command JSON as received (the DLQ envelope's payload). */
  @Column({ type: 'text' }) payload!: string;
  @Column({ type: 'jsonb', default: () => "'{}'" }) headers!: Record<string, string>;
  @Column({ name: 'source_partition', type: 'integer', nullable: true }) sourcePartition!: number | null;
  @Column({ name: 'source_offset', type: 'varchar', length: 40, nullable: true }) sourceOffset!: string | null;
  @Column({ type: 'varchar', length: 20, default: 'pending' }) status!: 'pending' | 'done' | 'failed';
  @Column({ type: 'integer', default: 0 }) attempts!: number;
  @Column({ name: 'next_attempt_at', type: 'timestamptz', default: () => 'now()' }) nextAttemptAt!: Date;
  @Column({ name: 'create_outcome_unknown', type: 'boolean', default: false }) createOutcomeUnknown!: boolean;
  @Column({ name: 'received_at', type: 'timestamptz', default: () => 'now()' }) receivedAt!: Date;
  @Column({ name: 'first_failed_at', type: 'timestamptz', nullable: true }) firstFailedAt!: Date | null;
  @Column({ name: 'last_error', type: 'text', nullable: true }) lastError!: string | null;
  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true }) completedAt!: Date | null;
  @Column({ name: 'result_id', type: 'uuid', nullable: true }) resultId!: string | null;
}

import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { SourceTopic } from '@incident-sync/contracts';
import type { DeadLetterStatus } from './dead-letter.values';

/**
 * One message that a consumer gave up on, as its DeadLetterEnvelope described it (or, when
 * the envelope itself was unreadable, the raw envelope text with `unreadable` set).
 * Nothing is ever deleted: discard only changes the status.
 */
@Entity({ name: 'dead_letter' })
@Check('CK_dead_letter_status', `"status" IN ('pending', 'replayed', 'discarded')`)
@Check('CK_dead_letter_replay_count', `"replay_count" >= 0`)
// The migration creates this one as ("organization_id", "created_at" DESC, "id" DESC); @Index cannot
// state a column's direction (and the schema builder compares only name, columns and uniqueness).
@Index('IX_dead_letter_org_created', ['organizationId', 'createdAt', 'id'])
@Index('IX_dead_letter_integration_status', ['integrationId', 'status'])
@Index('IX_dead_letter_topic_status', ['originalTopic', 'status'])
export class DeadLetterEntity {
  /** The envelope's deadLetterId (a random uuid for an unreadable envelope without one). */
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  /** Tenant from the envelope; null = unattributed, visible to the admin key only. */
  @Column({ name: 'organization_id', type: 'varchar', length: 200, nullable: true }) organizationId!: string | null;
  /** `integrationId` of the original payload, when it is JSON and has one. */
  @Column({ name: 'integration_id', type: 'varchar', length: 200, nullable: true }) integrationId!: string | null;
  @Column({ name: 'original_topic', type: 'varchar', length: 200 }) originalTopic!: SourceTopic;
  /** The `.dlq` topic the envelope was read from. */
  @Column({ name: 'dlq_topic', type: 'varchar', length: 200 }) dlqTopic!: string;
  @Column({ name: 'message_key', type: 'varchar', length: 500, nullable: true }) messageKey!: string | null;
  /** The original value exactly as received (the raw envelope text when unreadable). */
  @Column({ type: 'text' }) payload!: string;
  @Column({ type: 'jsonb' }) headers!: Record<string, string>;
  @Column({ name: 'error_code', type: 'varchar', length: 100 }) errorCode!: string;
  @Column({ name: 'error_message', type: 'text' }) errorMessage!: string;
  @Column({ type: 'boolean' }) retryable!: boolean;
  @Column({ type: 'integer' }) attempts!: number;
  @Column({ name: 'first_failed_at', type: 'timestamptz' }) firstFailedAt!: Date;
  @Column({ name: 'last_failed_at', type: 'timestamptz' }) lastFailedAt!: Date;
  @Column({ name: 'consumer_group', type: 'varchar', length: 200, nullable: true }) consumerGroup!: string | null;
  @Column({ type: 'integer', nullable: true }) partition!: number | null;
  @Column({ type: 'varchar', length: 30, nullable: true }) offset!: string | null;
  @Column({ type: 'boolean' }) unreadable!: boolean;
  @Column({ type: 'varchar', length: 20 }) status!: DeadLetterStatus;
  @Column({ name: 'replay_count', type: 'integer' }) replayCount!: number;
  @Column({ name: 'last_replayed_at', type: 'timestamptz', nullable: true }) lastReplayedAt!: Date | null;
  @Column({ name: 'discarded_at', type: 'timestamptz', nullable: true }) discardedAt!: Date | null;
  /** Who last replayed or discarded it (the API key's name). */
  @Column({ name: 'last_actor', type: 'varchar', length: 200, nullable: true }) lastActor!: string | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

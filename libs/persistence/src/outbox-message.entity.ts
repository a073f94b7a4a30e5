import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A message committed with the business change that caused it; the relay publishes it. */
@Entity({ name: 'outbox_message' })
@Index('outbox_message_unpublished', ['seq'], { where: 'published_at IS NULL' })
@Index('outbox_message_held', ['messageKey'], { where: 'set_aside_at IS NOT NULL AND released_at IS NULL' })
export class OutboxMessageEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) seq!: string;
  @Column({ name: 'message_id', type: 'varchar', length: 200, unique: true }) messageId!: string;
  @Column({ type: 'varchar', length: 200 }) topic!: string;
  @Column({ name: 'message_key', type: 'varchar', length: 300, nullable: true }) messageKey!: string | null;
  /** The exact JSON text to publish. */
  @Column({ type: 'text' }) payload!: string;
  @Column({ type: 'jsonb', default: () => "'{}'" }) headers!: Record<string, string>;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt!: Date;
  @Column({ name: 'published_at', type: 'timestamptz', nullable: true }) publishedAt!: Date | null;
  /** Set when the broker can never accept the message (too large even alone); see OutboxRelay. */
  @Column({ name: 'set_aside_at', type: 'timestamptz', nullable: true }) setAsideAt!: Date | null;
  @Column({ name: 'set_aside_reason', type: 'text', nullable: true }) setAsideReason!: string | null;
  /** An operator released the set-aside row: later rows with its key flow again. */
  @Column({ name: 'released_at', type: 'timestamptz', nullable: true }) releasedAt!: Date | null;
}

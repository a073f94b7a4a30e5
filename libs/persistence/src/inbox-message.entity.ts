import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Ids of messages a consumer has already applied: the "exactly-once effect" half of the inbox. */
@Entity({ name: 'inbox_message' })
export class InboxMessageEntity {
  @PrimaryColumn({ type: 'varchar', length: 200 }) consumer!: string;
  @PrimaryColumn({ name: 'message_id', type: 'varchar', length: 200 }) messageId!: string;
  @Column({ name: 'processed_at', type: 'timestamptz', default: () => 'now()' }) processedAt!: Date;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A user one side named that the other side does not know (reported in sync-status, never guessed). */
@Entity({ name: 'unknown_user' })
export class UnknownUserEntity {
  @PrimaryColumn({ name: 'integration_id', type: 'varchar', length: 200 }) integrationId!: string;
  /** platform: an email with no PagerDuty user; external: a PagerDuty user id with no email we can use. */
  @PrimaryColumn({ type: 'varchar', length: 20 }) side!: 'platform' | 'external';
  @PrimaryColumn({ type: 'varchar', length: 320 }) key!: string;
  @Column({ name: 'first_seen_at', type: 'timestamptz', default: () => 'now()' }) firstSeenAt!: Date;
  @Column({ name: 'last_seen_at', type: 'timestamptz', default: () => 'now()' }) lastSeenAt!: Date;
  @Column({ type: 'integer', default: 1 }) count!: number;
}

import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** PagerDuty users we looked up (GET /users), per integration: the id ↔ email cache. */
@Entity({ name: 'pd_user' })
// The migration's expression index ("integration_id", lower("email")) behind the case-insensitive email
// lookup: TypeORM cannot declare an expression index, so it is named here and not synchronized.
@Index('IX_pd_user_email', { synchronize: false })
export class PdUserEntity {
  @PrimaryColumn({ name: 'integration_id', type: 'varchar', length: 200 }) integrationId!: string;
  @PrimaryColumn({ name: 'pd_user_id', type: 'varchar', length: 200 }) pdUserId!: string;
  @Column({ type: 'varchar', length: 320 }) email!: string;
  @Column({ type: 'text', nullable: true }) name!: string | null;
  @Column({ name: 'fetched_at', type: 'timestamptz', default: () => 'now()' }) fetchedAt!: Date;
}

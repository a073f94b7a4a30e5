import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Explicit platform user ↔ PagerDuty user override; everyone else matches by email. */
@Entity({ name: 'user_mapping' })
export class UserMappingEntity {
  @PrimaryColumn({ name: 'integration_id', type: 'uuid' }) integrationId!: string;
  /** Stored lower-case: emails match case-insensitively. */
  @PrimaryColumn({ type: 'varchar', length: 320 }) email!: string;
  @Column({ name: 'pd_user_id', type: 'varchar', length: 100 }) pdUserId!: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

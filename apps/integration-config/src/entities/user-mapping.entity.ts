import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { IntegrationEntity } from './integration.entity';

/** Explicit platform user ↔ PagerDuty user override; everyone else matches by email. */
@Entity({ name: 'user_mapping' })
export class UserMappingEntity {
  @PrimaryColumn({ name: 'integration_id', type: 'uuid' }) integrationId!: string;
  /** Declares the foreign key only (ON DELETE CASCADE, as the migration creates it); rows are always read by integrationId. */
  @ManyToOne(() => IntegrationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'integration_id', foreignKeyConstraintName: 'user_mapping_integration_id_fkey' })
  integration?: IntegrationEntity;
  /** Stored lower-case: emails match case-insensitively. */
  @PrimaryColumn({ type: 'varchar', length: 320 }) email!: string;
  @Column({ name: 'pd_user_id', type: 'varchar', length: 100 }) pdUserId!: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

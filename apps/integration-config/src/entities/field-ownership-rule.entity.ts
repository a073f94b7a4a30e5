import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { IntegrationEntity } from './integration.entity';
import { FieldOwner, SyncField } from '../integration.values';

/** An explicit owner for one field; fields without a rule use DEFAULT_FIELD_OWNERSHIP. */
@Entity({ name: 'field_ownership_rule' })
export class FieldOwnershipRuleEntity {
  @PrimaryColumn({ name: 'integration_id', type: 'uuid' }) integrationId!: string;
  /** Declares the foreign key only (ON DELETE CASCADE, as the migration creates it); rows are always read by integrationId. */
  @ManyToOne(() => IntegrationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'integration_id', foreignKeyConstraintName: 'field_ownership_rule_integration_id_fkey' })
  integration?: IntegrationEntity;
  @PrimaryColumn({ type: 'varchar', length: 50 }) field!: SyncField;
  @Column({ type: 'varchar', length: 20 }) owner!: FieldOwner;
  @Column({ type: 'integer' }) priority!: number;
  /** The owner's value is enforced: a non-owner's edit is set back (sync-domain README §7.4). */
  @Column({ type: 'boolean', default: false }) authoritative!: boolean;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';
import { FieldOwner, SyncField } from '../integration.values';

/** An explicit owner for one field; fields without a rule use DEFAULT_FIELD_OWNERSHIP. */
@Entity({ name: 'field_ownership_rule' })
export class FieldOwnershipRuleEntity {
  @PrimaryColumn({ name: 'integration_id', type: 'uuid' }) integrationId!: string;
  @PrimaryColumn({ type: 'varchar', length: 50 }) field!: SyncField;
  @Column({ type: 'varchar', length: 20 }) owner!: FieldOwner;
  @Column({ type: 'integer' }) priority!: number;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

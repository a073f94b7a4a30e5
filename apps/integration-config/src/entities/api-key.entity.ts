import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** An organization API key. Only its SHA-256 is stored; the key is shown once, at creation. */
@Entity({ name: 'api_key' })
@Index('IX_api_key_org', ['organizationId'])
export class ApiKeyEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'organization_id', type: 'varchar', length: 200 }) organizationId!: string;
  @Column({ type: 'varchar', length: 200 }) name!: string;
  @Column({ name: 'key_hash', type: 'char', length: 64, unique: true }) keyHash!: string;
  /** The first characters of the key (e.g. `isk_3fA9`), so people can tell keys apart. */
  @Column({ type: 'varchar', length: 20 }) prefix!: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true }) lastUsedAt!: Date | null;
}

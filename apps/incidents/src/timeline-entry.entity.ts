import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { OriginType } from '@incident-sync/contracts';
import { IncidentEntity } from './incident.entity';

/**
 * One line of an incident's history: created, a status change, a field edit (old → new),
 * a note, an entry written by the sync (e.g. "escalated to level 2 in PagerDuty") or a
 * sync write that was skipped. `seq` orders entries (timestamps can tie within a transaction).
 */
@Entity({ name: 'timeline_entry' })
@Index('timeline_entry_incident_seq', ['incidentId', 'seq'])
export class TimelineEntryEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) seq!: string;
  @Column({ type: 'uuid', unique: true }) id!: string;
  @Column({ name: 'incident_id', type: 'uuid' }) incidentId!: string;
  /** Declares the foreign key only; entries are always read by incidentId. */
  @ManyToOne(() => IncidentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'incident_id', foreignKeyConstraintName: 'FK_timeline_entry_incident' })
  incident?: IncidentEntity;
  @Column({ name: 'organization_id', type: 'varchar', length: 200 }) organizationId!: string;
  @Column({ type: 'varchar', length: 50 }) kind!: string;
  @Column({ type: 'varchar', length: 50, nullable: true }) field!: string | null;
  @Column({ name: 'old_value', type: 'text', nullable: true }) oldValue!: string | null;
  @Column({ name: 'new_value', type: 'text', nullable: true }) newValue!: string | null;
  @Column({ type: 'text', nullable: true }) message!: string | null;
  @Column({ type: 'varchar', length: 320 }) actor!: string;
  @Column({ name: 'origin_type', type: 'varchar', length: 20 }) originType!: OriginType;
  @Column({ name: 'integration_id', type: 'varchar', length: 200, nullable: true }) integrationId!: string | null;
  @Column({ name: 'command_id', type: 'uuid', nullable: true }) commandId!: string | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

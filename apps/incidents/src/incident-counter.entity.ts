import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Last incident number handed out per organization (INC-<n>); bumped in the creating transaction. */
@Entity({ name: 'incident_counter' })
export class IncidentCounterEntity {
  @PrimaryColumn({ name: 'organization_id', type: 'varchar', length: 200 }) organizationId!: string;
  @Column({ name: 'last_number', type: 'integer' }) lastNumber!: number;
}

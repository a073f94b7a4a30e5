import { Column, Entity, PrimaryColumn } from 'typeorm';

/** PagerDuty incidents this integration created, so later commands without a PD id can be sent. */
@Entity({ name: 'created_incident' })
export class CreatedIncidentEntity {
  @PrimaryColumn({ name: 'integration_id', type: 'varchar', length: 200 }) integrationId!: string;
  @PrimaryColumn({ name: 'platform_incident_id', type: 'uuid' }) platformIncidentId!: string;
  @Column({ name: 'pd_incident_id', type: 'varchar', length: 200 }) pdIncidentId!: string;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt!: Date;
}

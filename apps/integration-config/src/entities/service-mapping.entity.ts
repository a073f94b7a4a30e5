import { Column, Entity, PrimaryColumn } from 'typeorm';

/** PagerDuty service ↔ platform incident type (inbound creates get the type; outbound picks the service). */
@Entity({ name: 'service_mapping' })
export class ServiceMappingEntity {
  @PrimaryColumn({ name: 'integration_id', type: 'uuid' }) integrationId!: string;
  @PrimaryColumn({ name: 'pd_service_id', type: 'varchar', length: 100 }) pdServiceId!: string;
  @Column({ name: 'incident_type', type: 'varchar', length: 200 }) incidentType!: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

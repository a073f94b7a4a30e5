import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { IntegrationEntity } from './integration.entity';

/** PagerDuty service ↔ platform incident type (inbound creates get the type; outbound picks the service). */
@Entity({ name: 'service_mapping' })
export class ServiceMappingEntity {
  @PrimaryColumn({ name: 'integration_id', type: 'uuid' }) integrationId!: string;
  /** Declares the foreign key only (ON DELETE CASCADE, as the migration creates it); rows are always read by integrationId. */
  @ManyToOne(() => IntegrationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'integration_id', foreignKeyConstraintName: 'service_mapping_integration_id_fkey' })
  integration?: IntegrationEntity;
  @PrimaryColumn({ name: 'pd_service_id', type: 'varchar', length: 100 }) pdServiceId!: string;
  @Column({ name: 'incident_type', type: 'varchar', length: 200 }) incidentType!: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { PlatformStatus, Severity } from '@incident-sync/contracts';

/** Where this incident lives in another system (set by the sync, e.g. the PagerDuty incident). */
export interface ExternalRefRecord {
  system: 'pagerduty';
  id: string;
  number: string | null;
  url: string | null;
  /** The integration that linked it (one platform incident may be linked per integration). */
  integration_id: string;
}

/** A platform incident of one organization. `version` grows by one with every committed field change. */
@Entity({ name: 'incident' })
@Check('incident_severity_check', `"severity" IN ('SEV-1', 'SEV-2', 'SEV-3', 'SEV-4')`)
@Check('incident_status_check', `"status" IN ('open', 'mitigated', 'resolved', 'closed')`)
@Index('incident_org_number', ['organizationId', 'number'], { unique: true })
@Index('incident_org_updated', ['organizationId', 'updatedAt'])
export class IncidentEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'organization_id', type: 'varchar', length: 200 }) organizationId!: string;
  @Column({ type: 'integer' }) number!: number;
  @Column({ type: 'text' }) title!: string;
  @Column({ type: 'text', nullable: true }) description!: string | null;
  @Column({ type: 'varchar', length: 10 }) severity!: Severity;
  @Column({ type: 'varchar', length: 20 }) status!: PlatformStatus;
  @Column({ name: 'assigned_to', type: 'varchar', length: 320, nullable: true }) assignedTo!: string | null;
  @Column({ name: 'escalation_policy_id', type: 'varchar', length: 200, nullable: true }) escalationPolicyId!: string | null;
  @Column({ name: 'escalation_policy_name', type: 'text', nullable: true }) escalationPolicyName!: string | null;
  @Column({ name: 'incident_type', type: 'varchar', length: 200, nullable: true }) incidentType!: string | null;
  @Column({ name: 'external_refs', type: 'jsonb', default: [] }) externalRefs!: ExternalRefRecord[];
  @Column({ type: 'integer' }) version!: number;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

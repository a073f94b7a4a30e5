import { IncidentSnapshot, OriginType, PlatformStatus, Severity } from '@incident-sync/contracts';
import { formatIncidentNumber } from './incident-ref';
import { IncidentEntity } from './incident.entity';
import { IncidentFieldValues } from './incident-values';
import { TimelineEntryEntity } from './timeline-entry.entity';

/** An incident as the REST API shows it (snake_case). */
export interface IncidentView {
  id: string;
  number: string;
  organization_id: string;
  title: string;
  description: string | null;
  severity: Severity;
  status: PlatformStatus;
  assigned_to: string | null;
  escalation_policy: { id: string; name: string | null } | null;
  incident_type: string | null;
  version: number;
  created_at: string;
  updated_at: string;
  external_refs: { system: 'pagerduty'; id: string; number: string | null; url: string | null; integration_id: string }[];
}

export interface TimelineEntryView {
  id: string;
  kind: string;
  field: string | null;
  old_value: string | null;
  new_value: string | null;
  message: string | null;
  actor: string;
  origin: { type: OriginType; integration_id: string | null; command_id: string | null };
  created_at: string;
}

export function fieldValuesOf(incident: IncidentEntity): IncidentFieldValues {
  return {
    title: incident.title,
    description: incident.description,
    severity: incident.severity,
    status: incident.status,
    assigned_to: incident.assignedTo,
    escalation_policy: incident.escalationPolicyId,
    escalation_policy_name: incident.escalationPolicyName,
    incident_type: incident.incidentType,
  };
}

export function assignFieldValues(incident: IncidentEntity, values: IncidentFieldValues): void {
  incident.title = values.title;
  incident.description = values.description;
  incident.severity = values.severity;
  incident.status = values.status;
  incident.assignedTo = values.assigned_to;
  incident.escalationPolicyId = values.escalation_policy;
  incident.escalationPolicyName = values.escalation_policy_name;
  incident.incidentType = values.incident_type;
}

export function toIncidentView(incident: IncidentEntity): IncidentView {
  return {
    id: incident.id,
    number: formatIncidentNumber(incident.number),
    organization_id: incident.organizationId,
    title: incident.title,
    description: incident.description,
    severity: incident.severity,
    status: incident.status,
    assigned_to: incident.assignedTo,
    escalation_policy: incident.escalationPolicyId ? { id: incident.escalationPolicyId, name: incident.escalationPolicyName } : null,
    incident_type: incident.incidentType,
    version: incident.version,
    created_at: incident.createdAt.toISOString(),
    updated_at: incident.updatedAt.toISOString(),
    external_refs: incident.externalRefs.map((r) => ({ system: r.system, id: r.id, number: r.number, url: r.url, integration_id: r.integration_id })),
  };
}

/** The `incident` of platform.incident.changed: the whole incident after the change. */
export function toIncidentSnapshot(incident: IncidentEntity): IncidentSnapshot {
  return {
    id: incident.id,
    number: formatIncidentNumber(incident.number),
    organizationId: incident.organizationId,
    title: incident.title,
    description: incident.description,
    severity: incident.severity,
    status: incident.status,
    assignedTo: incident.assignedTo,
    escalationPolicyId: incident.escalationPolicyId,
    escalationPolicyName: incident.escalationPolicyName,
    incidentType: incident.incidentType,
    version: incident.version,
    createdAt: incident.createdAt.toISOString(),
    updatedAt: incident.updatedAt.toISOString(),
  };
}

export function toTimelineEntryView(entry: Omit<TimelineEntryEntity, 'seq'>): TimelineEntryView {
  return {
    id: entry.id,
    kind: entry.kind,
    field: entry.field,
    old_value: entry.oldValue,
    new_value: entry.newValue,
    message: entry.message,
    actor: entry.actor,
    origin: { type: entry.originType, integration_id: entry.integrationId, command_id: entry.commandId },
    created_at: entry.createdAt.toISOString(),
  };
}

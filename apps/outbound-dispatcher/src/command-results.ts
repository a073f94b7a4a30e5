import { randomUUID } from 'node:crypto';
import { PagerDutyCommandResultV1, PagerDutyIncidentSummary } from '@incident-sync/contracts';
import { IntegrationRuntimeConfig } from '@incident-sync/integration-config-client';
import { PdIncident } from '@incident-sync/pagerduty';
import { WorkUnit } from './coalesce-commands';
import { StoredCommand } from './dispatch.repository';

/** The `pagerduty.command.results.v1` message of one settled work unit (moved as is from the scheduler). */
export function resultOf(config: IntegrationRuntimeConfig, unit: WorkUnit, outcome: 'succeeded' | 'failed', extra: Partial<PagerDutyCommandResultV1>): PagerDutyCommandResultV1 {
  const first = unit.commands[0] as StoredCommand;
  return {
    resultId: randomUUID(),
    commandIds: unit.commands.map((c) => c.commandId),
    organizationId: first.organizationId,
    integrationId: config.id,
    platformIncidentId: unit.platformIncidentId,
    pdIncidentId: null,
    action: unit.action,
    outcome,
    completedAt: new Date().toISOString(),
    ...extra,
  };
}

export function summaryOf(incident: PdIncident | null, id: string): PagerDutyIncidentSummary {
  if (!incident) return { id };
  const summary: PagerDutyIncidentSummary = { id: incident.id };
  if (typeof incident.incident_number === 'number') summary.number = incident.incident_number;
  if (incident.html_url) summary.htmlUrl = incident.html_url;
  if (incident.status) summary.status = incident.status;
  if (incident.urgency) summary.urgency = incident.urgency;
  if (incident.updated_at) summary.updatedAt = incident.updated_at;
  return summary;
}

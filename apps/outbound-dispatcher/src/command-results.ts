import { randomUUID } from 'node:crypto';
import {
  PAGERDUTY_UPDATE_KEYS,
  PagerDutyCommandResultV1,
  PagerDutyCommandWritten,
  PagerDutyUpdateFields,
  PagerDutyUpdateKey,
} from '@incident-sync/contracts';
import { PagerDutyIncidentSummary } from '@incident-sync/contracts';
import { IntegrationRuntimeConfig } from '@incident-sync/integration-config-client';
import { PdIncident } from '@incident-sync/pagerduty';
import { WorkUnit } from './coalesce-commands';
import { StoredCommand } from './dispatch.repository';

/**
 * What the request of an `update_incident` unit carried for each of its commands, in order.
 *
 * A unit coalesces every pending update of one incident into one PUT, later values winning
 * field by field. So for each field a command set, the request sent either that command's
 * own value or a later command's: `written` holds the value actually sent (from `sent`, what
 * the request carried, `{}` when it sent nothing), `superseded` the fields whose own value
 * was not sent. An earlier command is never reported as having written a value it did not
 * carry.
 */
export function writtenPerCommand(unit: WorkUnit, sent: PagerDutyUpdateFields | undefined, refused?: { keys: PagerDutyUpdateKey[]; values: PagerDutyUpdateFields }): PagerDutyCommandWritten[] | undefined {
  if (unit.action !== 'update_incident') return undefined;
  const carried: PagerDutyUpdateFields = sent ?? {};
  return unit.commands.map((command) => {
    const own: PagerDutyUpdateFields = command.command.update ?? {};
    const written: Record<string, unknown> = {};
    const superseded: PagerDutyUpdateKey[] = [];
    const refusedHere: PagerDutyUpdateKey[] = [];
    for (const key of PAGERDUTY_UPDATE_KEYS) {
      if (own[key] === undefined) continue;
      // PagerDuty refused the value the request carried: a command that asked for that very
      // value was refused; one that asked for another was superseded by it.
      if (refused?.keys.includes(key) && refused.values[key] === own[key]) { refusedHere.push(key); continue; }
      if (carried[key] !== undefined) written[key] = carried[key];
      if (carried[key] === undefined || carried[key] !== own[key]) superseded.push(key);
    }
    return { commandId: command.commandId, written: written as PagerDutyUpdateFields, superseded, ...(refusedHere.length > 0 ? { refused: refusedHere } : {}) };
  });
}

/**
 * The `pagerduty.command.results.v1` message for a unit. One result settles every command of
 * the unit (`commandIds`); a succeeded update also says what it carried for each command
 * (`perCommand`), so the sync-engine confirms exactly what was sent.
 */
export function commandResultOf(
  unit: WorkUnit,
  context: { integrationId: string; organizationId: string },
  outcome: 'succeeded' | 'failed',
  extra: Partial<PagerDutyCommandResultV1>,
  now: Date = new Date(),
): PagerDutyCommandResultV1 {
  const refused = extra.refused && unit.action === 'update_incident' ? { keys: extra.refused.keys, values: unit.fields ?? {} } : undefined;
  const perCommand = outcome === 'succeeded' ? writtenPerCommand(unit, extra.written, refused) : undefined;
  return {
    resultId: randomUUID(),
    commandIds: unit.commands.map((c) => c.commandId),
    organizationId: context.organizationId,
    integrationId: context.integrationId,
    platformIncidentId: unit.platformIncidentId,
    pdIncidentId: null,
    action: unit.action,
    outcome,
    completedAt: now.toISOString(),
    ...extra,
    ...(perCommand === undefined ? {} : { perCommand }),
  };
}

/** The result message of one settled work unit, for the integration that dispatched it. */
export function resultOf(config: IntegrationRuntimeConfig, unit: WorkUnit, outcome: 'succeeded' | 'failed', extra: Partial<PagerDutyCommandResultV1>): PagerDutyCommandResultV1 {
  const first = unit.commands[0] as StoredCommand;
  return commandResultOf(unit, { integrationId: config.id, organizationId: first.organizationId }, outcome, extra);
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

import type { PlatformIncidentCommandV1, PlatformIncidentFields } from '@incident-sync/contracts';
import type { PlatformCreateCommand, PlatformFieldValues, PlatformWrite, TimelineEntry } from '@incident-sync/sync-domain';
import { deterministicUuid } from '@incident-sync/contracts';
import { platformCommandUuid } from './command-ids';
import type { LinkRef } from './pagerduty-command-builder';

export interface PagerDutyIncidentRef {
  id: string;
  number: number | null;
  url: string | null;
}

const externalRefOf = (pd: PagerDutyIncidentRef | null): PlatformIncidentCommandV1['externalRef'] =>
  pd === null ? undefined : { system: 'pagerduty', id: pd.id, ...(pd.number === null ? {} : { number: String(pd.number) }), ...(pd.url === null ? {} : { url: pd.url }) };

function fieldsOf(set: Partial<PlatformFieldValues>, labels: PlatformWrite['labels']): PlatformIncidentFields {
  const fields: PlatformIncidentFields = {};
  if (set.title !== undefined) fields.title = set.title;
  if (set.description !== undefined) fields.description = set.description;
  if (set.severity !== undefined) fields.severity = set.severity;
  if (set.status !== undefined) fields.status = set.status;
  if (set.assigned_to !== undefined) fields.assigned_to = set.assigned_to;
  if (set.escalation_policy !== undefined) {
    fields.escalation_policy = set.escalation_policy;
    if (labels.escalationPolicyName !== undefined) fields.escalation_policy_name = labels.escalationPolicyName;
  }
  return fields;
}

/**
 * `update` for a domain write. `baseValues` are what we believe the platform holds, so the
 * incidents service refuses to overwrite a field someone edited meanwhile (that edit reaches
 * us as a change of its own).
 */
export function platformUpdateCommand(
  link: LinkRef,
  write: PlatformWrite,
  baseValues: Partial<PlatformFieldValues>,
  pd: PagerDutyIncidentRef | null,
  causationId: string,
  now: Date,
): PlatformIncidentCommandV1 {
  const command: PlatformIncidentCommandV1 = {
    commandId: platformCommandUuid(write.commandId),
    organizationId: link.organizationId,
    integrationId: link.integrationId,
    incidentId: link.platformIncidentId,
    type: 'update',
    fields: fieldsOf(write.set, write.labels),
    causationId,
    occurredAt: now.toISOString(),
  };
  const base = fieldsOf(baseValues, {});
  if (Object.keys(base).length > 0) command.baseValues = base;
  const ref = externalRefOf(pd);
  if (ref) command.externalRef = ref;
  return command;
}

/** `create` of the platform incident mirroring a PagerDuty incident; the id is ours (the link's platform id). */
export function platformCreateCommand(link: LinkRef, create: PlatformCreateCommand, pd: PagerDutyIncidentRef, causationId: string, now: Date): PlatformIncidentCommandV1 {
  const fields = fieldsOf(create.fields, { escalationPolicyName: create.labels.escalationPolicyName });
  fields.incident_type = create.incidentType;
  return {
    commandId: platformCommandUuid(create.commandId),
    organizationId: link.organizationId,
    integrationId: link.integrationId,
    incidentId: link.platformIncidentId,
    type: 'create',
    fields,
    externalRef: externalRefOf(pd),
    timelineEntry: { kind: 'sync', message: `Created from PagerDuty incident ${pd.number === null ? pd.id : `#${pd.number} (${pd.id})`}`, author: 'PagerDuty' },
    causationId,
    occurredAt: now.toISOString(),
  };
}

/** A timeline entry (PagerDuty note, escalation); its id derives from the entry's dedupe key. */
export function timelineCommand(link: LinkRef, entry: TimelineEntry, causationId: string, now: Date): PlatformIncidentCommandV1 {
  return {
    commandId: deterministicUuid(`timeline:${link.linkId}:${entry.dedupeKey}`),
    organizationId: link.organizationId,
    integrationId: link.integrationId,
    incidentId: link.platformIncidentId,
    type: 'add_timeline_entry',
    timelineEntry: { kind: entry.kind, message: entry.text, ...(entry.author === null ? {} : { author: entry.author }) },
    causationId,
    occurredAt: now.toISOString(),
  };
}

/** Tells the platform where its incident lives in PagerDuty (no field change, no event). */
export function externalRefCommand(link: LinkRef, pd: PagerDutyIncidentRef, causationId: string, now: Date): PlatformIncidentCommandV1 {
  return {
    commandId: deterministicUuid(`external-ref:${link.linkId}:${pd.id}`),
    organizationId: link.organizationId,
    integrationId: link.integrationId,
    incidentId: link.platformIncidentId,
    type: 'update',
    fields: {},
    externalRef: externalRefOf(pd),
    causationId,
    occurredAt: now.toISOString(),
  };
}

import type { PlatformIncidentChangedV1 } from '@incident-sync/contracts';
import {
  SYNC_FIELDS,
  isPlatformValue,
  type PlatformChange,
  type PlatformFieldChanges,
  type PlatformFieldValues,
  type PlatformIncidentSnapshot,
  type SyncField,
} from '@incident-sync/sync-domain';

/** The synced field values of the incident snapshot a platform event carries. */
export function platformValuesOf(event: PlatformIncidentChangedV1): PlatformFieldValues {
  const i = event.incident;
  return {
    title: i.title,
    description: i.description ?? null,
    severity: i.severity,
    status: i.status,
    assigned_to: i.assignedTo ?? null,
    escalation_policy: i.escalationPolicyId ?? null,
  };
}

/**
 * A platform.incident.changed event as the sync-domain's PlatformChange. Only the six synced
 * fields count (`escalation_policy_name`, `incident_type` are labels); a value the domain
 * cannot hold is left out rather than guessed.
 */
export function toPlatformChange(event: PlatformIncidentChangedV1): PlatformChange {
  const changes: PlatformFieldChanges = {};
  for (const change of event.changes) {
    if (!(SYNC_FIELDS as readonly string[]).includes(change.field)) continue;
    const field = change.field as SyncField;
    if (!isPlatformValue(field, change.newValue)) continue;
    const entry: { old?: unknown; new: unknown } = { new: change.newValue };
    if (isPlatformValue(field, change.oldValue)) entry.old = change.oldValue;
    (changes as Record<string, unknown>)[field] = entry;
  }
  const origin: PlatformChange['origin'] =
    event.origin.type === 'integration' && event.origin.integrationId
      ? { type: 'integration', integrationId: event.origin.integrationId, commandId: event.origin.commandId ?? null }
      : { type: event.origin.type === 'integration' ? 'api' : event.origin.type, actor: event.origin.actor };
  return { version: event.version, occurredAt: Date.parse(event.occurredAt), origin, changes };
}

export function toPlatformSnapshot(event: PlatformIncidentChangedV1): PlatformIncidentSnapshot {
  return { version: event.version, occurredAt: Date.parse(event.occurredAt), fields: platformValuesOf(event) };
}

/** The text of a PagerDuty note mirroring a platform note. */
export function platformNoteContent(note: { body: string; author: string }): string {
  return `Note from ${note.author} on the Incidents platform:\n\n${note.body}`;
}

import type { SyncField } from './sync-field.types';

/**
 * PagerDuty Webhooks v3 incident event types we act on, and the fields each is about
 * (FACTS §1.2, §3.6). Every event with incident data also carries a full snapshot of the
 * incident, which is how title and urgency edits (which have no event) are noticed.
 */
export const HANDLED_EVENT_TYPES: Readonly<Record<string, { primaryFields: readonly SyncField[] }>> = {
  /** Creation; for an already linked incident it is just a snapshot. */
  'incident.triggered': { primaryFields: [] },
  'incident.acknowledged': { primaryFields: ['status'] },
  /** Ack timeout or manual un-ack: back to triggered (platform: open). */
  'incident.unacknowledged': { primaryFields: ['status'] },
  'incident.resolved': { primaryFields: ['status'] },
  /** Status is triggered (or acknowledged) again. */
  'incident.reopened': { primaryFields: ['status'] },
  /** Moved to another user. */
  'incident.reassigned': { primaryFields: ['assigned_to'] },
  /** Moved to another escalation policy (the assignee usually changes too: seen in the snapshot). */
  'incident.delegated': { primaryFields: ['escalation_policy'] },
  /** Escalated within the same policy: a timeline entry; the new assignee comes from the snapshot. */
  'incident.escalated': { primaryFields: [] },
  'incident.priority_updated': { primaryFields: ['severity'] },
  /** A note was added (data.type incident_note): a timeline entry. */
  'incident.annotated': { primaryFields: [] },
  /** A status update was published (data.type incident_status_update): a timeline entry. */
  'incident.status_update_published': { primaryFields: [] },
  /** Someone was asked to respond, or answered (data.type incident_responder): timeline entries. */
  'incident.responder.added': { primaryFields: [] },
  'incident.responder.replied': { primaryFields: [] },
  /** The conference bridge changed (data.type incident_conference_bridge): a timeline entry. */
  'incident.conference_bridge.updated': { primaryFields: [] },
};

/** Handled events whose data is not an incident but something attached to one (data.incident is the reference). */
export const ATTACHMENT_EVENT_TYPES: readonly string[] = [
  'incident.annotated',
  'incident.status_update_published',
  'incident.responder.added',
  'incident.responder.replied',
  'incident.conference_bridge.updated',
];

/**
 * Older names accepted for the real ones. The project seed called the priority event
 * `priority_changed`; PagerDuty only ever sends `incident.priority_updated`.
 */
export const EVENT_TYPE_ALIASES: Readonly<Record<string, string>> = {
  'incident.priority_changed': 'incident.priority_updated',
};

/** Real PagerDuty event types we deliberately do not act on (stored and ignored). */
export const IGNORED_EVENT_TYPES: readonly string[] = [
  'incident.custom_field_values.updated',
  'incident.incident_type.changed',
  'incident.role.assigned',
  'incident.service_updated',
  'incident.task.created',
  'incident.task.updated',
  'incident.task.completed',
  'incident.action_invocation.created',
  'incident.action_invocation.updated',
  'incident.action_invocation.terminated',
  'incident.workflow.started',
  'incident.workflow.completed',
  'service.created',
  'service.updated',
  'service.deleted',
  'service.custom_field_values.updated',
  'pagey.ping',
];

/** Lower-cases, adds the `incident.` prefix to bare names and applies aliases. */
export function normalizeEventType(eventType: string): string {
  const lowered = eventType.trim().toLowerCase();
  const prefixed = lowered.includes('.') ? lowered : `incident.${lowered}`;
  return EVENT_TYPE_ALIASES[prefixed] ?? prefixed;
}

export function classifyEventType(normalized: string): 'handled' | 'ignored' | 'unknown' {
  if (Object.prototype.hasOwnProperty.call(HANDLED_EVENT_TYPES, normalized)) return 'handled';
  if (IGNORED_EVENT_TYPES.includes(normalized)) return 'ignored';
  return 'unknown';
}

export function primaryFieldsOf(normalized: string): readonly SyncField[] {
  return HANDLED_EVENT_TYPES[normalized]?.primaryFields ?? [];
}

import type { PriorityMapping } from './integration-settings';
import {
  ATTACHMENT_EVENT_TYPES,
  classifyEventType,
  normalizeEventType,
  primaryFieldsOf,
} from './pagerduty-event-type.mapping';
import { priorityKeyFromReference } from './priority-severity.mapping';
import type { ExternalChange, TimelineEntry } from './sync-input.types';
import {
  PAGERDUTY_STATUSES,
  URGENCIES,
  type EpochMs,
  type ExternalFieldValues,
  type PagerDutyStatus,
  type Urgency,
} from './sync-field.types';

type JsonObject = { readonly [key: string]: unknown };

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const objectOrNull = (value: unknown): JsonObject | null => (isObject(value) ? value : null);

/**
 * Parses one PagerDuty Webhooks v3 event (the envelope `{event: …}` or the inner `event`)
 * into the changes it implies. Never throws: anything unusable comes back classified
 * `malformed`, unknown types `unknown`, types we do not act on `ignored`.
 *
 * Pass the integration's priority mapping so priorities are keyed the way the mapping is
 * (by id when the mapping uses ids, else by name).
 */
export function parsePagerDutyEvent(
  input: unknown,
  priorityMapping: PriorityMapping = {},
): ExternalChange {
  const event = isObject(input) && isObject(input['event']) ? input['event'] : input;
  if (!isObject(event)) return malformed('', 'the payload is not a JSON object');

  const rawEventType = str(event['event_type']) ?? '';
  const eventId = str(event['id']) ?? '';
  const occurredAt = Date.parse(str(event['occurred_at']) ?? '');
  if (rawEventType === '') return malformed(eventId, 'event_type is missing', rawEventType);
  if (!Number.isFinite(occurredAt)) {
    return malformed(eventId, 'occurred_at is missing or not an ISO-8601 time', rawEventType);
  }

  const eventType = normalizeEventType(rawEventType);
  const classification = classifyEventType(eventType);
  const agent = objectOrNull(event['agent']);
  const data = objectOrNull(event['data']);
  const base: ExternalChange = {
    eventId,
    eventType,
    rawEventType,
    classification,
    note: null,
    pagerDutyIncidentId: incidentIdOf(data),
    serviceId: null,
    occurredAt,
    agentId: agent === null ? null : str(agent['id']),
    agentName: agent === null ? null : str(agent['summary']),
    observed: {},
    primaryFields: [],
    timeline: [],
    labels: { escalationPolicyName: null, assigneeName: null },
  };
  if (classification === 'ignored') {
    return { ...base, note: `PagerDuty event ${eventType} does not affect synced fields` };
  }
  if (classification === 'unknown') {
    return { ...base, note: `PagerDuty event type ${rawEventType} is not known; stored and ignored` };
  }
  if (data === null) return { ...base, classification: 'malformed', note: 'event.data is missing' };
  // A PagerDuty id is a short code (PGR0VU2, Q3B15VLMF3ASBD): anything else cannot name an
  // incident of ours, and stored as one it would overflow the link's column (a signed hostile
  // body with a 300,000-character id was dead-lettered instead of ignored).
  if (base.pagerDutyIncidentId !== null && !PAGERDUTY_ID.test(base.pagerDutyIncidentId)) {
    return { ...base, pagerDutyIncidentId: null, classification: 'malformed', note: 'the incident id is not a PagerDuty id' };
  }

  if (eventType === 'incident.annotated') {
    return { ...base, timeline: noteEntry(data, base) };
  }
  if (ATTACHMENT_EVENT_TYPES.includes(eventType)) {
    return { ...base, timeline: attachmentEntries(eventType, data, base) };
  }
  if (str(data['type']) !== 'incident') {
    return {
      ...base,
      classification: 'malformed',
      note: `expected incident data for ${eventType}, got ${str(data['type']) ?? 'none'}`,
    };
  }
  const snapshot = readIncident(data, priorityMapping);
  return {
    ...base,
    serviceId: snapshot.serviceId,
    observed: snapshot.observed,
    primaryFields: [...primaryFieldsOf(eventType)],
    labels: snapshot.labels,
    timeline: incidentTimeline(eventType, base, snapshot.labels),
  };
}

/** The event id of every change read over REST (a reconcile pass's or a backfill's snapshot) starts with this. */
export const SNAPSHOT_EVENT_ID_PREFIX = 'snapshot:';

/**
 * Builds a reconciliation change from a REST incident (`GET /incidents/{id}`), for drift
 * repair: a snapshot with no agent and no primary field, stamped with `observedAt` (when it
 * was read). It goes through `decideInbound` like a webhook.
 */
export function parsePagerDutyIncidentSnapshot(
  incident: unknown,
  observedAt: EpochMs,
  priorityMapping: PriorityMapping = {},
): ExternalChange {
  const data = isObject(incident) && isObject(incident['incident']) ? incident['incident'] : incident;
  const id = isObject(data) ? str(data['id']) : null;
  const base: ExternalChange = {
    eventId: `${SNAPSHOT_EVENT_ID_PREFIX}${id ?? 'unknown'}:${observedAt}`,
    eventType: 'reconciliation.snapshot',
    rawEventType: 'reconciliation.snapshot',
    classification: 'handled',
    note: null,
    pagerDutyIncidentId: id,
    serviceId: null,
    occurredAt: observedAt,
    agentId: null,
    agentName: null,
    observed: {},
    primaryFields: [],
    timeline: [],
    labels: { escalationPolicyName: null, assigneeName: null },
  };
  if (!isObject(data) || id === null) {
    return { ...base, classification: 'malformed', note: 'not a PagerDuty incident object' };
  }
  const snapshot = readIncident(data, priorityMapping);
  return { ...base, serviceId: snapshot.serviceId, observed: snapshot.observed, labels: snapshot.labels };
}

/** What PagerDuty ids look like: letters and digits, well under the 200 characters a link column holds. */
const PAGERDUTY_ID = /^[A-Za-z0-9]{1,64}$/;

function malformed(eventId: string, note: string, rawEventType = ''): ExternalChange {
  return {
    eventId,
    eventType: rawEventType === '' ? '' : normalizeEventType(rawEventType),
    rawEventType,
    classification: 'malformed',
    note,
    pagerDutyIncidentId: null,
    serviceId: null,
    occurredAt: 0,
    agentId: null,
    agentName: null,
    observed: {},
    primaryFields: [],
    timeline: [],
    labels: { escalationPolicyName: null, assigneeName: null },
  };
}

/** Incident id: `data.id` for incident data, `data.incident.id` for everything else (FACTS §1.1). */
function incidentIdOf(data: JsonObject | null): string | null {
  if (data === null) return null;
  if (str(data['type']) === 'incident') return str(data['id']);
  const incident = objectOrNull(data['incident']);
  return incident === null ? null : str(incident['id']);
}

interface IncidentSnapshot {
  observed: Partial<ExternalFieldValues>;
  serviceId: string | null;
  labels: ExternalChange['labels'];
}

/** Reads webhook incident data (`assignees[]`) or a REST incident (`assignments[].assignee`). */
function readIncident(data: JsonObject, priorityMapping: PriorityMapping): IncidentSnapshot {
  const observed: Partial<ExternalFieldValues> = {};
  const labels: ExternalChange['labels'] = { escalationPolicyName: null, assigneeName: null };

  const title = str(data['title']);
  if (title !== null) observed.title = title;

  const status = str(data['status']);
  const pdStatus = (PAGERDUTY_STATUSES as readonly string[]).includes(status ?? '')
    ? (status as PagerDutyStatus)
    : null;
  if (pdStatus !== null) observed.status = pdStatus;

  const urgency = str(data['urgency']);
  if ((URGENCIES as readonly string[]).includes(urgency ?? '') && 'priority' in data) {
    const priority = objectOrNull(data['priority']);
    observed.severity = {
      urgency: urgency as Urgency,
      priority:
        priority === null
          ? null
          : priorityKeyFromReference(
              { id: str(priority['id']), summary: str(priority['summary']), name: str(priority['name']) },
              priorityMapping,
            ),
    };
  }

  // Assignments are emptied when an incident resolves (FACTS §3.11): a resolved snapshot says
  // nothing about who owns the incident, so the assignee is not read from it.
  if (pdStatus !== null && pdStatus !== 'resolved') {
    const assignee = firstAssignee(data);
    if (assignee !== undefined) {
      observed.assigned_to = assignee === null ? null : assignee.id;
      labels.assigneeName = assignee === null ? null : assignee.name;
    }
  }

  if ('escalation_policy' in data) {
    const policy = objectOrNull(data['escalation_policy']);
    observed.escalation_policy = policy === null ? null : str(policy['id']);
    labels.escalationPolicyName = policy === null ? null : str(policy['summary']) ?? str(policy['name']);
  }

  const service = objectOrNull(data['service']);
  return { observed, serviceId: service === null ? null : str(service['id']), labels };
}

/** undefined: the data has no assignment information at all. */
function firstAssignee(data: JsonObject): { id: string; name: string | null } | null | undefined {
  const assignees = data['assignees'];
  if (Array.isArray(assignees)) {
    const first: unknown = assignees[0];
    if (!isObject(first)) return null;
    const id = str(first['id']);
    return id === null ? null : { id, name: str(first['summary']) };
  }
  const assignments = data['assignments'];
  if (Array.isArray(assignments)) {
    const first: unknown = assignments[0];
    const assignee = isObject(first) ? objectOrNull(first['assignee']) : null;
    const id = assignee === null ? null : str(assignee['id']);
    return id === null || assignee === null ? null : { id, name: str(assignee['summary']) };
  }
  return undefined;
}

function noteEntry(data: JsonObject, base: ExternalChange): TimelineEntry[] {
  const content = str(data['content']);
  if (content === null) return [];
  return [
    {
      kind: 'note',
      text: content,
      occurredAt: base.occurredAt,
      author: base.agentName,
      dedupeKey: `pagerduty-note:${str(data['id']) ?? base.eventId}`,
      trimmed: data['trimmed'] === true,
    },
  ];
}

/**
 * Status updates, responder requests and replies, and conference-bridge changes, as platform
 * timeline lines (issue #18). Shapes from real v3 envelopes (libs/pagerduty/fixtures/webhooks/
 * zulip-fixtures: status_updated_v3, responder_added, responder_replied_v3,
 * conference_bridge_updated_v3).
 */
function attachmentEntries(eventType: string, data: JsonObject, base: ExternalChange): TimelineEntry[] {
  const id = str(data['id']) ?? base.eventId;
  const who = base.agentName ?? 'Someone';
  const message = str(data['message']);
  const user = objectOrNull(data['user']);
  const userName = user === null ? null : str(user['summary']);
  switch (eventType) {
    case 'incident.status_update_published':
      if (message === null) return [];
      return [{ kind: 'status_update', text: message, occurredAt: base.occurredAt, author: base.agentName, dedupeKey: `pagerduty-status-update:${id}`, trimmed: data['trimmed'] === true }];
    case 'incident.responder.added': {
      const policy = objectOrNull(data['escalation_policy']);
      const target = userName ?? (policy === null ? null : str(policy['summary'])) ?? 'a responder';
      const text = `${who} asked ${target} to respond on PagerDuty${message === null ? '' : `: ${message}`}`;
      return [entry('responder', text, base)];
    }
    case 'incident.responder.replied': {
      const state = str(data['state']);
      const verb = state === 'accepted' ? 'accepted' : state === 'declined' ? 'declined' : 'answered';
      const text = `${userName ?? who} ${verb} the request to respond on PagerDuty${message === null ? '' : `: ${message.trim()}`}`;
      return [entry('responder', text, base)];
    }
    case 'incident.conference_bridge.updated': {
      const url = str(data['conference_url']);
      const numbers = Array.isArray(data['conference_numbers']) ? (data['conference_numbers'] as unknown[]).filter((n): n is string => typeof n === 'string') : [];
      const where = [url, ...numbers].filter((part): part is string => part !== null && part !== '');
      return [entry('conference_bridge', where.length === 0 ? `Conference bridge removed by ${who} on PagerDuty` : `Conference bridge set by ${who} on PagerDuty: ${where.join(', ')}`, base)];
    }
    default:
      return [];
  }
}

function incidentTimeline(
  eventType: string,
  base: ExternalChange,
  labels: ExternalChange['labels'],
): TimelineEntry[] {
  const by = base.agentName === null ? 'by PagerDuty' : `by ${base.agentName} on PagerDuty`;
  if (eventType === 'incident.escalated') {
    const to = labels.assigneeName === null ? '' : ` to ${labels.assigneeName}`;
    return [entry('escalated', `Escalated${to} ${by}`, base)];
  }
  if (eventType === 'incident.delegated') {
    const to = labels.escalationPolicyName ?? 'another escalation policy';
    return [entry('delegated', `Delegated to escalation policy ${to} ${by}`, base)];
  }
  return [];
}

function entry(kind: TimelineEntry['kind'], text: string, base: ExternalChange): TimelineEntry {
  return {
    kind,
    text,
    occurredAt: base.occurredAt,
    author: base.agentName,
    dedupeKey: `pagerduty-event:${base.eventId}`,
  };
}

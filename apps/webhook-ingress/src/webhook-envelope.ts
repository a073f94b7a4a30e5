import { AppError } from '@incident-sync/contracts';

/** The parts of one PagerDuty Webhooks v3 delivery that ingress needs (FACTS §1.1). */
export interface WebhookEnvelope {
  eventId: string;
  eventType: string;
  resourceType: string;
  occurredAt: string;
  /** data.id for incident data, data.incident.id for notes and other sub-resources; null otherwise. */
  pdIncidentId: string | null;
  /** The `event` object exactly as PagerDuty sent it. */
  event: Record<string, unknown>;
}

const PING_EVENT_TYPE = 'pagey.ping';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** PostgreSQL text cannot hold NUL and lone surrogates have no UTF-8 form: such ids are not ids. */
// eslint-disable-next-line no-control-regex
const STORABLE = /^(?:[^\u0000\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/;
const nonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && STORABLE.test(v);
/** The longest id, event type, resource type or X-Webhook-Id we store (the receipt's columns hold 200). */
export const MAX_ENVELOPE_STRING = 200;
const shortString = (v: unknown): v is string => nonEmptyString(v) && v.length <= MAX_ENVELOPE_STRING;

/**
 * The PagerDuty incident an event is about. FACTS §1.1: for `data.type == "incident"` it is
 * `data.id`; every other data type (incident_note, responder, status update, …) carries it
 * at `data.incident.id`. Service events and pings have none.
 */
export function pdIncidentIdOf(data: unknown): string | null {
  if (!isObject(data)) return null;
  if (data.type === 'incident') return shortString(data.id) ? data.id : null;
  const incident = data.incident;
  if (isObject(incident) && shortString(incident.id)) return incident.id;
  return null;
}

/**
 * Checks that a parsed body is a v3 envelope `{"event":{id, event_type, resource_type,
 * occurred_at, data, …}}` and extracts what ingress needs; anything else is a 400. Unknown
 * event types are valid (the sync-engine records and ignores them).
 */
export function parseWebhookEnvelope(body: unknown): WebhookEnvelope {
  if (!isObject(body) || !isObject(body.event)) {
    throw AppError.validation('event', 'body is not a PagerDuty v3 webhook: expected {"event":{…}}');
  }
  const event = body.event;
  const { id, event_type: eventType, resource_type: resourceType, occurred_at: occurredAt, data } = event;
  if (!nonEmptyString(id)) throw AppError.validation('event.id', 'event.id must be a non-empty string');
  if (id.length > MAX_ENVELOPE_STRING) throw AppError.validation('event.id', `event.id is longer than ${MAX_ENVELOPE_STRING} characters`);
  if (!shortString(eventType) || !eventType.includes('.')) {
    throw AppError.validation('event.event_type', `event.event_type must look like "<resource>.<action>" (at most ${MAX_ENVELOPE_STRING} characters)`);
  }
  if (!nonEmptyString(occurredAt) || Number.isNaN(Date.parse(occurredAt))) {
    throw AppError.validation('event.occurred_at', 'event.occurred_at must be an ISO-8601 timestamp');
  }
  if (!isObject(data)) throw AppError.validation('event.data', 'event.data must be an object');
  return {
    eventId: id,
    eventType,
    // resource_type is the left-most part of event_type; tolerate its absence.
    resourceType: shortString(resourceType) ? resourceType : eventType.split('.')[0] ?? eventType,
    occurredAt: new Date(occurredAt).toISOString(),
    pdIncidentId: pdIncidentIdOf(data),
    event,
  };
}

export function isPing(envelope: WebhookEnvelope): boolean {
  return envelope.eventType === PING_EVENT_TYPE;
}

import { PdJson, PdRef } from './pd-render';
import { newUlid } from './sim-ids';

/** An incident change to deliver, before it is fanned out to subscriptions. */
export interface SimEvent {
  id: string;
  eventType: string;
  resourceType: 'incident' | 'pagey';
  occurredAt: string;
  agent: PdRef | null;
  data: PdJson;
  /** Routing: the incident the event is about (FIFO key), its service and teams (filters). */
  incidentId: string | null;
  serviceId: string | null;
  teamIds: string[];
}

export function newEvent(eventType: string, agent: PdRef | null, data: PdJson, route: { incidentId: string | null; serviceId: string | null; teamIds: string[] }, nowMs: number): SimEvent {
  return {
    id: newUlid(nowMs),
    eventType,
    resourceType: eventType.startsWith('pagey.') ? 'pagey' : 'incident',
    // v3 timestamps carry milliseconds (FACTS §1.1).
    occurredAt: new Date(nowMs).toISOString(),
    agent,
    data,
    ...route,
  };
}

/**
 * The delivery body: `{"event":{…}}`, compact JSON, keys in PagerDuty's order
 * `id, event_type, resource_type, occurred_at, agent, client, data` (FACTS §1.1; inferred from
 * a real ping's content-length). `client` is null as in every real capture.
 */
export function webhookBody(event: SimEvent): string {
  const agent = event.agent ? { id: event.agent.id, type: event.agent.type, self: event.agent.self, html_url: event.agent.html_url, summary: event.agent.summary } : null;
  const body = (data: PdJson): string => JSON.stringify({
    event: {
      id: event.id,
      event_type: event.eventType,
      resource_type: event.resourceType,
      occurred_at: event.occurredAt,
      agent,
      client: null,
      data,
    },
  });
  const full = body(event.data);
  const size = Buffer.byteLength(full);
  if (size <= TRIM_ABOVE_BYTES) return full;
  const field = event.data['type'] === 'incident_note' ? 'content' : event.data['type'] === 'status_update' ? 'message' : null;
  const text = field === null ? null : event.data[field];
  if (field === null || typeof text !== 'string') return full;
  // The longest prefix of the text that fits (its JSON escaping counted), at a character boundary.
  const cutAt = (n: number): string => (/[\uD800-\uDBFF]/.test(text.charAt(n - 1)) ? text.slice(0, n - 1) : text.slice(0, n));
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (Buffer.byteLength(body({ ...event.data, [field]: cutAt(mid), trimmed: true })) <= TRIM_ABOVE_BYTES) lo = mid;
    else hi = mid - 1;
  }
  return body({ ...event.data, [field]: cutAt(lo), trimmed: true });
}

/**
 * PagerDuty guarantees delivery and order only up to 55 KB (56,320 bytes) and trims the details
 * of larger payloads; a note or status update whose content was cut carries `trimmed: true`
 * (FACTS §1.5). Where the cut falls is not documented: the simulator cuts the note's `content`
 * (a status update's `message`) just enough for the body to fit in 55 KB (an inference).
 */
export const TRIM_ABOVE_BYTES = 56320;

export function pingEvent(nowMs: number): SimEvent {
  return newEvent('pagey.ping', null, { message: 'Hello from your friend Pagey!', type: 'ping' }, { incidentId: null, serviceId: null, teamIds: [] }, nowMs);
}

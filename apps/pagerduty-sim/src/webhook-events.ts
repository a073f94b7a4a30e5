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
  return JSON.stringify({
    event: {
      id: event.id,
      event_type: event.eventType,
      resource_type: event.resourceType,
      occurred_at: event.occurredAt,
      agent,
      client: null,
      data: event.data,
    },
  });
}

export function pingEvent(nowMs: number): SimEvent {
  return newEvent('pagey.ping', null, { message: 'Hello from your friend Pagey!', type: 'ping' }, { incidentId: null, serviceId: null, teamIds: [] }, nowMs);
}

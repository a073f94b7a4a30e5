import { PdIncident } from '@incident-sync/pagerduty';

/** What we know about the incident a create sent, to recognise it in `GET /incidents?incident_key=…`. */
export interface SentCreate {
  /** The incident_key we sent: the platform incident id. */
  incidentKey: string;
  /** The service we created it on (known for creates; unknown when an update looks its incident up). */
  serviceId?: string;
}

/**
 * Whether a listed incident provably is the one our create made (pure).
 *
 * The lookup `GET /incidents?incident_key=K` also returns incidents that have NO incident_key:
 * an incident with child alerts has none, and PagerDuty lists it when one of its alerts has
 * alert_key K (AS `incident_key` query parameter; FACTS §2.2, §3.16). Such an incident was made
 * by someone else's alerts, so only an incident whose own incident_key equals K is ours.
 * The service is an extra guard: a create lands on the service it names. The title is none
 * (people edit it in PagerDuty), nor is created_at: a create re-issued for the same platform
 * incident (a DLQ replay, a re-sent command) must find the incident an earlier one made.
 */
export function isOurIncident(incident: PdIncident, sent: SentCreate): boolean {
  if (typeof incident.incident_key !== 'string' || incident.incident_key === '' || incident.incident_key !== sent.incidentKey) return false;
  return sent.serviceId === undefined || incident.service?.id === sent.serviceId;
}

/** Our incident among the listed ones, or null; the newest when several qualify (pure). */
export function findOurIncident(incidents: readonly PdIncident[], sent: SentCreate): PdIncident | null {
  const ours = incidents.filter((i) => isOurIncident(i, sent));
  ours.sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at));
  return ours[0] ?? null;
}

/**
 * The listed incidents that carry no incident_key at all (child alerts): never linked, but named
 * when a create stays unrecovered so an operator can judge whether one of them is really ours (pure).
 */
export function keylessListed(incidents: readonly PdIncident[]): string[] {
  return incidents.filter((i) => typeof i.incident_key !== 'string' || i.incident_key === '').map((i) => i.id);
}

/**
 * Why a create PagerDuty refused (400) stays refused when the look-up finds no incident of ours:
 * the refusal as PagerDuty worded it, plus the keyless incidents the look-up listed for our key.
 *
 * Otherwise what? The create may really have happened earlier and its incident lost its key since
 * (FACTS §2.2: an incident with child alerts has none, e.g. after alerts were merged into it),
 * yet nothing in the listing proves which keyless incident that would be, and linking someone
 * else's would write our titles and statuses onto it, silently. Creating again would be refused
 * again. So the command fails permanently (a dead letter naming the candidates); an operator
 * links or replays it. A create whose outcome was merely unknown (timeout, 5xx) and whose look-up
 * finds nothing of ours IS sent: if an earlier try had stored it under our key, PagerDuty refuses
 * the duplicate with this same 400, and a visible duplicate beats a wrong link.
 */
export function unrecoveredCreateMessage(refusal: string, sent: SentCreate, keyless: readonly string[]): string {
  if (keyless.length === 0) return refusal;
  return `${refusal}; GET /incidents?incident_key=${sent.incidentKey} lists no incident whose own incident_key is ours, only ${keyless.length} without an incident_key (${keyless.slice(0, 5).join(', ')}${keyless.length > 5 ? ', …' : ''}: incidents with child alerts), which are never linked automatically`;
}

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

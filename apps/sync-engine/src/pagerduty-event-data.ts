/** The incident facts of a webhook event the link keeps (number, URL, incident_key); absent → null. */
export interface WebhookIncidentData {
  number: number | null;
  htmlUrl: string | null;
  incidentKey: string | null;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Incident data is `data` for incident events and `data.incident` for notes (FACTS §1.1). */
export function incidentDataOf(event: Record<string, unknown>): WebhookIncidentData {
  const data = isObject(event['data']) ? event['data'] : null;
  const incident = data !== null && data['type'] === 'incident' ? data : null;
  return {
    number: incident !== null && typeof incident['number'] === 'number' ? incident['number'] : null,
    htmlUrl: incident !== null && typeof incident['html_url'] === 'string' ? incident['html_url'] : null,
    incidentKey: incident !== null && typeof incident['incident_key'] === 'string' ? incident['incident_key'] : null,
  };
}

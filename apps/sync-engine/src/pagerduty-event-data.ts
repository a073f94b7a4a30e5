/** The incident facts of a webhook event the link keeps (number, URL, incident_key); absent → null. */
export interface WebhookIncidentData {
  number: number | null;
  htmlUrl: string | null;
  incidentKey: string | null;
  /** The incident this one was merged into: `resolve_reason` `merge_resolve_reason` (FACTS §2.2; webhooks and REST reads alike). */
  mergedInto: string | null;
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
    mergedInto: incident === null ? null : mergeTargetOf(incident['resolve_reason']),
  };
}

function mergeTargetOf(reason: unknown): string | null {
  if (!isObject(reason) || reason['type'] !== 'merge_resolve_reason' || !isObject(reason['incident'])) return null;
  const id = reason['incident']['id'];
  return typeof id === 'string' && id !== '' ? id : null;
}

import { randomUUID } from 'node:crypto';
import type { PagerDutyWebhookReceivedV1 } from '@incident-sync/contracts';
import type { IntegrationRuntimeConfig } from '@incident-sync/integration-config-client';

/**
 * A PagerDuty REST read of one incident as an observation on the webhook topic, under the
 * incident's key: the webhook consumer applies it in order with live deliveries, through the
 * same rules (reconcile repairs, backfill imports). `eventType` is RECONCILE_EVENT_TYPE or
 * BACKFILL_EVENT_TYPE; the event id is stable for one incident and time, so a re-published
 * read is the same event.
 */
export function snapshotObservation(
  config: Pick<IntegrationRuntimeConfig, 'id' | 'organizationId'>,
  incident: Record<string, unknown> & { id: string },
  stamp: number,
  eventType: string,
): PagerDutyWebhookReceivedV1 {
  const occurredAt = new Date(stamp).toISOString();
  const eventId = `${eventType === 'reconciliation.snapshot' ? 'reconcile' : eventType.split('.')[0]}:${incident.id}:${stamp}`;
  return {
    receiptId: randomUUID(), integrationId: config.id, organizationId: config.organizationId, webhookId: null, eventId, eventType,
    resourceType: 'incident', pdIncidentId: incident.id, occurredAt, receivedAt: new Date().toISOString(),
    event: { id: eventId, event_type: eventType, resource_type: 'incident', occurred_at: occurredAt, agent: null, client: null, data: incident },
  };
}

import { randomUUID } from 'node:crypto';
import type { PagerDutyWebhookReceivedV1 } from '@incident-sync/contracts';
import type { IntegrationRuntimeConfig } from '@incident-sync/integration-config-client';
import { annotatedDataOf, type PagerDutyNote } from '@incident-sync/sync-domain';
import { RECONCILE_NOTE_EVENT_TYPE } from './reconcile-drift';

/**
 * A PagerDuty note read over REST that no `incident.annotated` delivery brought, as an
 * observation on the webhook topic under the incident's key: the webhook consumer applies it
 * in order with live deliveries, as the delivery it stands for (its `data` has the webhook's
 * shape, its agent is the note's author, so our bot's notes stay echoes). The event id is
 * stable for one note, so a re-published repair is the same event.
 */
export function noteObservation(config: Pick<IntegrationRuntimeConfig, 'id' | 'organizationId'>, pdIncidentId: string, note: PagerDutyNote): PagerDutyWebhookReceivedV1 {
  const occurredAt = new Date(note.createdAt).toISOString();
  const eventId = `reconcile-note:${pdIncidentId}:${note.id}`;
  const agent = note.user === null ? null : { id: note.user.id, type: note.user.type ?? 'user_reference', summary: note.user.summary };
  return {
    receiptId: randomUUID(), integrationId: config.id, organizationId: config.organizationId, webhookId: null, eventId, eventType: RECONCILE_NOTE_EVENT_TYPE,
    resourceType: 'incident', pdIncidentId, occurredAt, receivedAt: new Date().toISOString(),
    event: { id: eventId, event_type: RECONCILE_NOTE_EVENT_TYPE, resource_type: 'incident', occurred_at: occurredAt, agent, client: null, data: annotatedDataOf(pdIncidentId, note) },
  };
}

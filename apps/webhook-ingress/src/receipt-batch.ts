import { PagerDutyWebhookReceivedV1 } from '@incident-sync/contracts';

export interface ReceiptBatchPlan {
  /** Deliveries to insert, in arrival order: the first of each webhook id and of each event id. */
  candidates: PagerDutyWebhookReceivedV1[];
}

/**
 * The deliveries of one group commit worth inserting (pure). Two deliveries of one batch may
 * repeat each other (a PagerDuty retry racing the original); the database's unique indexes
 * would keep one of them, but which one would be up to the plan, so here the first to arrive
 * wins and any later one with the same (integration, X-Webhook-Id) or (integration, event id)
 * is a duplicate without a row. Repeats of rows already stored are found by ON CONFLICT.
 */
export function planReceiptBatch(messages: readonly PagerDutyWebhookReceivedV1[]): ReceiptBatchPlan {
  const webhookIds = new Set<string>();
  const eventIds = new Set<string>();
  const candidates: PagerDutyWebhookReceivedV1[] = [];
  for (const m of messages) {
    // JSON keys: no separator an id could contain can make two different pairs collide.
    const byWebhook = m.webhookId === null ? null : JSON.stringify([m.integrationId, m.webhookId]);
    const byEvent = JSON.stringify([m.integrationId, m.eventId]);
    if ((byWebhook !== null && webhookIds.has(byWebhook)) || eventIds.has(byEvent)) continue;
    if (byWebhook !== null) webhookIds.add(byWebhook);
    eventIds.add(byEvent);
    candidates.push(m);
  }
  return { candidates };
}

import { PagerDutyWebhookReceivedV1 } from '@incident-sync/contracts';
import { planReceiptBatch } from './receipt-batch';

let n = 0;
const delivery = (integrationId: string, webhookId: string | null, eventId: string): PagerDutyWebhookReceivedV1 => {
  n += 1;
  return {
    receiptId: `r${n}`, integrationId, organizationId: 'org', webhookId, eventId, eventType: 'incident.acknowledged', resourceType: 'incident',
    pdIncidentId: 'P1', occurredAt: '2026-01-01T00:00:00.000Z', receivedAt: '2026-01-01T00:00:01.000Z', event: {},
  };
};

describe('planReceiptBatch (which deliveries of one group commit are inserted)', () => {
  it('given distinct deliveries, all are candidates, in arrival order', () => {
    const batch = [delivery('I', 'w1', 'e1'), delivery('I', 'w2', 'e2'), delivery('J', 'w1', 'e1')];
    expect(planReceiptBatch(batch).candidates).toEqual(batch);
  });

  it('given a retry racing its original in one batch (same X-Webhook-Id), only the first is a candidate', () => {
    const first = delivery('I', 'w1', 'e1');
    const retry = delivery('I', 'w1', 'e1');
    expect(planReceiptBatch([first, retry]).candidates).toEqual([first]);
  });

  it('given the same event under a new webhook id, or a new event under a used webhook id, only the first is a candidate', () => {
    const first = delivery('I', 'w1', 'e1');
    const sameEvent = delivery('I', 'w2', 'e1');
    const sameWebhook = delivery('I', 'w1', 'e9');
    const other = delivery('I', 'w3', 'e3');
    expect(planReceiptBatch([first, sameEvent, sameWebhook, other]).candidates).toEqual([first, other]);
  });

  it('deliveries without X-Webhook-Id are told apart by event id only', () => {
    const a = delivery('I', null, 'e1');
    const b = delivery('I', null, 'e2');
    const again = delivery('I', null, 'e1');
    expect(planReceiptBatch([a, b, again]).candidates).toEqual([a, b]);
  });

  it('ids that would collide when joined with a separator stay apart', () => {
    const a = delivery('I:x', 'w', 'e1');
    const b = delivery('I', 'x:w', 'e2');
    expect(planReceiptBatch([a, b]).candidates).toEqual([a, b]);
  });
});

import { Logger } from '@nestjs/common';
import { signatureHeader } from '@incident-sync/pagerduty';
import { Faults } from './faults';
import { newWebhookId } from './sim-ids';
import { SimSubscription } from './sim-model';
import { SimState } from './sim-state';
import { SimEvent, webhookBody } from './webhook-events';

/** One HTTP attempt at a delivery. */
interface Attempt {
  status: number | null;
  error: string | null;
  signature: string;
  sentAt: number;
  durationMs: number | null;
}

export interface DeliveryRecord {
  seq: number;
  subscription_id: string;
  webhook_id: string;
  event_id: string;
  event_type: string;
  incident_id: string | null;
  url: string;
  attempt: number;
  status: number | null;
  error: string | null;
  /** What became of this attempt: delivered, retrying, dropped (4xx/retries exhausted), lost (fault injection). */
  outcome: 'delivered' | 'retrying' | 'dropped' | 'lost';
  /** When the request left the simulator (ms); `duration_ms` later it was answered or failed. */
  sent_at: number;
  duration_ms: number | null;
  signature: string;
  body: unknown;
}

interface Delivery { webhookId: string; subscriptionId: string; event: SimEvent; body: string }

export interface DispatcherOptions { timeoutMs: number; retryDelaysMs: number[] }

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The `X-PagerDuty-Signature` value of a delivery: one `v1=` HMAC-SHA256 per active secret over
 * the exact body bytes, comma-separated (several during rotation; FACTS §1.3–1.4).
 */
export function signDelivery(secrets: readonly string[], rawBody: string | Buffer): string {
  return signatureHeader(secrets, rawBody);
}

/**
 * Webhooks v3 delivery (FACTS §1.3–1.5), asynchronous to the change that caused it:
 * - one FIFO queue per subscription + incident: while a webhook is retried, later ones for the
 *   same incident wait; queues of different incidents run independently (no global order);
 * - retried on timeout, connection error, 5xx and 429 with the compressed schedule
 *   `retryDelaysMs` (PagerDuty retries for 48 h); any other 4xx drops the webhook at once;
 * - three consecutive drops disable the subscription (`temporarily_disabled`), drop its queues
 *   and stop queueing new events until it is enabled again;
 * - each webhook has one `X-Webhook-Id`, the same on every retry and duplicate.
 */
export class WebhookDispatcher {
  private readonly queues = new Map<string, Delivery[]>();
  private readonly running = new Set<string>();
  private readonly records: DeliveryRecord[] = [];
  private seq = 0;
  private generation = 0;
  private readonly logger = new Logger('webhooks');

  constructor(private readonly state: SimState, private readonly faults: Faults, public options: DispatcherOptions) {}

  /** Fan one event out to every matching subscription. Never waits for delivery. */
  publish(event: SimEvent): void {
    for (const sub of this.state.subscriptions.values()) {
      if (!this.accepts(sub, event)) continue;
      this.enqueue(sub, event);
    }
  }

  /** `POST /webhook_subscriptions/{id}/ping`: a pagey.ping to this subscription only. */
  ping(sub: SimSubscription, event: SimEvent): void {
    this.enqueue(sub, event);
  }

  accepts(sub: SimSubscription, event: SimEvent): boolean {
    if (!sub.active || sub.temporarilyDisabled) return false;
    if (!sub.events.includes(event.eventType)) return false;
    switch (sub.filter.type) {
      case 'account_reference': return true;
      case 'service_reference': return event.serviceId === sub.filter.id;
      case 'team_reference': return sub.filter.id !== null && event.teamIds.includes(sub.filter.id);
    }
  }

  deliveries(since: number): DeliveryRecord[] {
    return this.records.filter((r) => r.seq > since);
  }

  lastSeq(): number {
    return this.seq;
  }

  /** Pending webhooks (queued or being retried), for /sim/state and tests. */
  pending(): number {
    let n = 0;
    for (const q of this.queues.values()) n += q.length;
    return n;
  }

  clear(): void {
    this.generation += 1;
    this.queues.clear();
    this.running.clear();
    this.records.length = 0;
  }

  private enqueue(sub: SimSubscription, event: SimEvent): void {
    const key = `${sub.id}:${event.incidentId ?? event.id}`;
    const queue = this.queues.get(key) ?? [];
    queue.push({ webhookId: newWebhookId(), subscriptionId: sub.id, event, body: webhookBody(event) });
    this.queues.set(key, queue);
    if (!this.running.has(key)) {
      this.running.add(key);
      void this.drain(key, this.generation);
    }
  }

  private async drain(key: string, generation: number): Promise<void> {
    try {
      for (;;) {
        if (generation !== this.generation) return;
        const queue = this.queues.get(key);
        const next = queue?.[0];
        if (!queue || !next) break;
        await this.deliver(next, generation);
        if (generation !== this.generation) return;
        queue.shift();
        if (queue.length === 0) this.queues.delete(key);
      }
    } catch (error) {
      this.logger.error({ msg: 'delivery queue failed', queue: key, err: error });
    } finally {
      if (generation === this.generation) this.running.delete(key);
    }
  }

  private async deliver(delivery: Delivery, generation: number): Promise<void> {
    const initial = this.state.subscriptions.get(delivery.subscriptionId);
    if (!initial) return;
    const fault = this.faults.forDelivery(initial.url);
    if (fault.delayMs > 0) await sleep(fault.delayMs);
    if (fault.drop) {
      this.record(delivery, initial, 1, { status: null, error: 'dropped by fault injection', signature: '', sentAt: Date.now(), durationMs: null }, 'lost');
      return;
    }
    for (let attempt = 1; ; attempt++) {
      const sub = this.state.subscriptions.get(delivery.subscriptionId);
      // Deleted or disabled meanwhile: its queue is dropped (FACTS §1.5).
      if (!sub || sub.temporarilyDisabled || generation !== this.generation) return;
      const result = await this.send(delivery, sub);
      if (generation !== this.generation) return;
      const retryable = result.status === null || result.status === 429 || result.status >= 500;
      const ok = result.status !== null && result.status >= 200 && result.status < 300;
      if (ok) {
        sub.consecutiveDrops = 0;
        this.record(delivery, sub, attempt, result, 'delivered');
        if (fault.duplicate) {
          // At-least-once: the same webhook (same X-Webhook-Id) arrives twice.
          const again = await this.send(delivery, sub);
          this.record(delivery, sub, attempt + 1, again, again.status !== null && again.status < 300 ? 'delivered' : 'dropped');
        }
        return;
      }
      const delay = this.options.retryDelaysMs[attempt - 1];
      if (retryable && delay !== undefined) {
        this.record(delivery, sub, attempt, result, 'retrying');
        await sleep(delay);
        continue;
      }
      this.record(delivery, sub, attempt, result, 'dropped');
      sub.consecutiveDrops += 1;
      if (sub.consecutiveDrops >= 3) this.disable(sub);
      return;
    }
  }

  private disable(sub: SimSubscription): void {
    sub.temporarilyDisabled = true;
    this.logger.warn({ msg: 'subscription disabled after consecutive dropped webhooks', subscriptionId: sub.id, consecutiveDrops: sub.consecutiveDrops });
    for (const key of [...this.queues.keys()]) {
      if (key.startsWith(`${sub.id}:`)) {
        // Keep the head (it is being processed by its drain loop) and drop the rest.
        const queue = this.queues.get(key);
        if (queue) queue.splice(1);
      }
    }
  }

  private async send(delivery: Delivery, sub: SimSubscription): Promise<Attempt> {
    const signature = signDelivery(sub.secrets, delivery.body);
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      Accept: 'application/json',
      'User-Agent': 'PagerDuty-Webhook/V3.0',
      'X-PagerDuty-Signature': signature,
      'X-Webhook-Id': delivery.webhookId,
      'X-Webhook-Subscription': sub.id,
    };
    for (const h of sub.customHeaders) headers[h.name] = h.value;
    const sentAt = Date.now();
    try {
      const response = await fetch(sub.url, { method: 'POST', headers, body: delivery.body, signal: AbortSignal.timeout(this.options.timeoutMs), redirect: 'manual' });
      await response.arrayBuffer().catch(() => undefined);
      return { status: response.status, error: null, signature, sentAt, durationMs: Date.now() - sentAt };
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : '';
      return { status: null, error: name === 'TimeoutError' ? `timeout after ${this.options.timeoutMs} ms` : `connection error${cause ? `: ${cause}` : ''}`, signature, sentAt, durationMs: Date.now() - sentAt };
    }
  }

  private record(delivery: Delivery, sub: SimSubscription, attempt: number, result: Attempt, outcome: DeliveryRecord['outcome']): void {
    this.records.push({
      seq: ++this.seq,
      subscription_id: sub.id,
      webhook_id: delivery.webhookId,
      event_id: delivery.event.id,
      event_type: delivery.event.eventType,
      incident_id: delivery.event.incidentId,
      url: sub.url,
      attempt,
      status: result.status,
      error: result.error,
      outcome,
      sent_at: result.sentAt,
      duration_ms: result.durationMs,
      signature: result.signature,
      body: JSON.parse(delivery.body) as unknown,
    });
    if (this.records.length > 10000) this.records.splice(0, this.records.length - 10000);
  }
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { PagerDutyWebhookReceivedV1, Topic } from '@incident-sync/contracts';
import { addManyToOutbox } from '@incident-sync/persistence';
import { DATABASE_SCHEMA, IngressCounterRepository } from './ingress-counter.repository';
import { planReceiptBatch, ReceiptBatchPlan } from './receipt-batch';

export type StoreOutcome = { status: 'accepted'; receiptId: string } | { status: 'duplicate' };

interface Waiting {
  message: PagerDutyWebhookReceivedV1;
  bytes: number;
  resolve: (outcome: StoreOutcome) => void;
  reject: (error: unknown) => void;
}

/** Most deliveries one transaction stores, and most payload bytes (bodies go up to 960 KiB). */
const MAX_BATCH_ROWS = 500;
const MAX_BATCH_BYTES = 8 * 1024 * 1024;

/**
 * Group commit of verified deliveries (issue #16): a delivery waits while the previous
 * transaction commits, and then everything that gathered meanwhile is stored in ONE
 * transaction — receipts in one multi-row INSERT … ON CONFLICT DO NOTHING (the dedupe, by
 * webhook id and by event id, across replicas too), outbox rows in one INSERT in arrival
 * order, one counter upsert per integration, one NOTIFY. Each caller's promise settles only
 * after that commit, so a 2xx still means durable. Under light load a batch is one delivery
 * and nothing waits; under heavy load a batch holds what arrived during one commit.
 *
 * One transaction at a time: outbox rows are numbered in arrival order and committed in that
 * order, so the relay's `seq` order is the order deliveries were accepted.
 */
@Injectable()
export class ReceiptWriter {
  private readonly logger = new Logger(ReceiptWriter.name);
  private readonly receipts: string;
  private readonly outbox: string;
  private queue: Waiting[] = [];
  private flushing = false;

  constructor(private readonly dataSource: DataSource, private readonly counters: IngressCounterRepository, @Inject(DATABASE_SCHEMA) schema: string) {
    this.receipts = `"${schema}"."webhook_receipt"`;
    this.outbox = `"${schema}"."outbox_message"`;
  }

  /** Stores a verified delivery's receipt and message; resolves once they are committed. */
  store(message: PagerDutyWebhookReceivedV1, bytes: number): Promise<StoreOutcome> {
    return new Promise<StoreOutcome>((resolve, reject) => {
      this.queue.push({ message, bytes, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        // One turn of the event loop: requests already read in this turn join the first batch.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.takeBatch();
        await this.writeOrSplit(batch);
      }
    } finally {
      this.flushing = false;
    }
  }

  private takeBatch(): Waiting[] {
    let bytes = 0;
    let count = 0;
    for (const waiting of this.queue) {
      if (count > 0 && (count >= MAX_BATCH_ROWS || bytes + waiting.bytes > MAX_BATCH_BYTES)) break;
      bytes += waiting.bytes;
      count += 1;
    }
    return this.queue.splice(0, count);
  }

  /**
   * A failed batch is tried again one delivery at a time, so one delivery the database refuses
   * answers 503 alone instead of taking its neighbours with it.
   */
  private async writeOrSplit(batch: Waiting[]): Promise<void> {
    try {
      const outcomes = await this.write(batch.map((w) => w.message));
      batch.forEach((w, i) => w.resolve(outcomes[i] as StoreOutcome));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      this.logger.warn({ msg: 'a group of deliveries could not be stored together; storing them one by one', deliveries: batch.length, err: error });
      for (const one of batch) await this.writeOrSplit([one]);
    }
  }

  private async write(messages: PagerDutyWebhookReceivedV1[]): Promise<StoreOutcome[]> {
    const plan = planReceiptBatch(messages);
    return this.dataSource.transaction(async (em) => {
      const inserted = new Set(await this.insertReceipts(em, plan));
      const accepted = plan.candidates.filter((m) => inserted.has(m.receiptId));
      await addManyToOutbox(em, this.outbox, Topic.PagerDutyWebhookReceived, accepted);
      await this.counters.countBatch(em, messages.map((m) => ({ integrationId: m.integrationId, accepted: inserted.has(m.receiptId), receivedAt: m.receivedAt, occurredAt: m.occurredAt })));
      return messages.map((m) => (inserted.has(m.receiptId) ? { status: 'accepted' as const, receiptId: m.receiptId } : { status: 'duplicate' as const }));
    });
  }

  /** The receipt ids actually inserted (the others repeat a stored webhook id or event id). */
  private async insertReceipts(em: EntityManager, plan: ReceiptBatchPlan): Promise<string[]> {
    const rows = plan.candidates;
    if (rows.length === 0) return [];
    const inserted = (await em.query(
      `INSERT INTO ${this.receipts} ("receipt_id", "integration_id", "webhook_id", "event_id", "event_type", "pd_incident_id", "received_at")
       SELECT * FROM unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::varchar[], $5::varchar[], $6::varchar[], $7::timestamptz[])
       ON CONFLICT DO NOTHING RETURNING "receipt_id"`,
      [
        rows.map((m) => m.receiptId), rows.map((m) => m.integrationId), rows.map((m) => m.webhookId), rows.map((m) => m.eventId),
        rows.map((m) => m.eventType), rows.map((m) => m.pdIncidentId), rows.map((m) => m.receivedAt),
      ],
    )) as { receipt_id: string }[];
    return inserted.map((r) => r.receipt_id);
  }
}

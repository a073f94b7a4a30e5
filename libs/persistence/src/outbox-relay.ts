import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { schemaOf } from './schema-of';
import { ALL_SOURCE_TOPICS, SourceTopic } from '@incident-sync/contracts';

/** What the relay needs from Kafka (EventPublisher provides it); keeps this lib Kafka-free. */
export interface RawPublisher {
  republishRaw(topic: SourceTopic, key: string | null, value: string, headers: Record<string, string>): Promise<void>;
}

export interface OutboxRelayOptions {
  /** Names the advisory lock: one relay per schema publishes at a time, keeping per-key order. */
  schema: string;
  pollMs?: number;
  batchSize?: number;
}

interface Row {
  seq: string;
  topic: string;
  message_key: string | null;
  payload: string;
  headers: Record<string, string>;
}

/**
 * Publishes committed outbox rows in commit order. A row is marked published only after
 * the broker acknowledged it, in the same transaction that locked it: a crash in between
 * publishes it again (at-least-once), and consumers' inboxes make that harmless.
 */
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  private readonly pollMs: number;
  private readonly batchSize: number;
  private readonly table: string;

  constructor(private readonly dataSource: DataSource, private readonly publisher: RawPublisher, private readonly options: OutboxRelayOptions) {
    this.table = `"${schemaOf(dataSource)}"."outbox_message"`;
    this.pollMs = options.pollMs ?? 50;
    this.batchSize = options.batchSize ?? 500;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Publishes one batch; returns how many rows it published. */
  async runOnce(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const [lock] = (await manager.query(`SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked`, [`outbox-relay:${this.options.schema}`])) as { locked: boolean }[];
      if (!lock?.locked) return 0;
      const rows = (await manager.query(
        `SELECT "seq", "topic", "message_key", "payload", "headers" FROM ${this.table} WHERE "published_at" IS NULL ORDER BY "seq" LIMIT $1`,
        [this.batchSize],
      )) as Row[];
      if (rows.length === 0) return 0;
      await Promise.all(rows.map((row) => this.publisher.republishRaw(toSourceTopic(row.topic), row.message_key, row.payload, row.headers)));
      await manager.query(`UPDATE ${this.table} SET "published_at" = now() WHERE "seq" = ANY($1::bigint[])`, [rows.map((r) => r.seq)]);
      return rows.length;
    });
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => {
        this.running = null;
      });
    }, delay);
  }

  private async tick(): Promise<void> {
    let published = 0;
    try {
      published = await this.runOnce();
    } catch (error) {
      this.logger.warn({ msg: 'outbox relay pass failed, will retry', err: error });
    }
    // A full batch means more is waiting: go again at once.
    this.schedule(published >= this.batchSize ? 0 : this.pollMs);
  }
}

function toSourceTopic(topic: string): SourceTopic {
  if (!(ALL_SOURCE_TOPICS as readonly string[]).includes(topic)) throw new Error(`outbox row names an unknown topic: ${topic}`);
  return topic as SourceTopic;
}

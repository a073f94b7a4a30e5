import { Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { schemaOf } from './schema-of';
import {
  ALL_SOURCE_TOPICS, DeadLetterEnvelope, DeadLetterTopicName, deadLetterTopicOf, deterministicUuid, MESSAGE_ID_HEADER, SourceTopic,
} from '@incident-sync/contracts';
import { exceedsBrokerLimit, isMessageTooLargeError, KAFKA_MAX_MESSAGE_BYTES, planBatches, previewOf, recordSizeBytes } from './outbox-batching';
import { OutboxWakeListener } from './outbox-wake';

export interface RawMessage {
  topic: SourceTopic | DeadLetterTopicName;
  key: string | null;
  value: string;
  headers: Record<string, string>;
}

/** What the relay needs from Kafka (EventPublisher provides it); keeps this lib Kafka-free. */
export interface RawPublisher {
  republishRaw(topic: SourceTopic, key: string | null, value: string, headers: Record<string, string>): Promise<void>;
  /**
   * Sends these messages, in order, in one produce request of their own (not merged with
   * other callers' messages, so the relay's byte sizing holds). Optional: without it the
   * relay falls back to one republishRaw per message.
   */
  sendRaw?(messages: readonly RawMessage[]): Promise<void>;
}

export interface OutboxRelayOptions {
  /** Names the advisory lock: one relay per schema publishes at a time, keeping per-key order. */
  schema: string;
  pollMs?: number;
  batchSize?: number;
  /** The broker's `message.max.bytes` (default 1048588): produce requests are sized to it. */
  maxMessageBytes?: number;
  /** Longest wait between passes while publishing keeps failing (broker down). */
  maxBackoffMs?: number;
  /**
   * Run a pass as soon as a transaction that added outbox rows commits (LISTEN on the
   * schema's channel, see outbox-wake.ts) instead of waiting for the next poll. Default true;
   * the poll stays as the safety net either way.
   */
  wakeOnCommit?: boolean;
}

interface Row {
  seq: string;
  topic: string;
  message_key: string | null;
  payload: string;
  headers: Record<string, string>;
}

interface Sendable {
  row: Row;
  key: string | null;
  value: string;
  headers: Record<string, string>;
}

/** Characters of the payload a set-aside dead letter carries (the whole is too large to publish). */
const PREVIEW_CHARS = 2048;
export const SET_ASIDE_ERROR_CODE = 'PAYLOAD_TOO_LARGE';

export interface RelayPassResult {
  published: number;
  setAside: number;
  /** Rows read this pass (a full batch means more may be waiting). */
  read: number;
  /** The error that stopped the pass (broker down …); what was published before it stays published. */
  error?: unknown;
}

/**
 * Publishes committed outbox rows in commit order. A row is marked published only after
 * the broker acknowledged it, in the same transaction that locked it: a crash in between
 * publishes it again (at-least-once), and consumers' inboxes make that harmless.
 *
 * It never blocks on one message. Produce requests are sized in bytes to the broker's
 * limit. A message the broker can never accept (too large even alone: by our count, or the
 * broker answers MESSAGE_TOO_LARGE / RECORD_LIST_TOO_LARGE for it alone) is set aside: its
 * row gets `set_aside_at` and `set_aside_reason`, and a small dead letter (reason, outbox
 * seq, key, size, a bounded preview) goes to `<topic>.dlq`, where dlq-manager lists it.
 * Later rows with the same key are held (stay unpublished) until the set-aside row is
 * released (`released_at`), so nothing about that incident overtakes it silently; every
 * other key keeps flowing. Any other failure (broker down, timeouts, every retriable
 * error) sets nothing aside: the pass stops and is retried with backoff.
 */
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  private failures = 0;
  private readonly pollMs: number;
  private readonly batchSize: number;
  private readonly maxMessageBytes: number;
  private readonly maxBackoffMs: number;
  private readonly table: string;
  private readonly wakeListener: OutboxWakeListener | null;
  /** A commit was announced while a pass ran: the pass may have read before it, so go again. */
  private wakeRequested = false;

  constructor(private readonly dataSource: DataSource, private readonly publisher: RawPublisher, private readonly options: OutboxRelayOptions) {
    this.table = `"${schemaOf(dataSource)}"."outbox_message"`;
    this.pollMs = options.pollMs ?? 50;
    this.batchSize = options.batchSize ?? 500;
    this.maxMessageBytes = options.maxMessageBytes ?? KAFKA_MAX_MESSAGE_BYTES;
    this.maxBackoffMs = options.maxBackoffMs ?? 5000;
    this.wakeListener = options.wakeOnCommit === false ? null : new OutboxWakeListener(dataSource, options.schema, () => this.wake());
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.wakeListener?.start();
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.wakeListener?.stop();
    await this.running;
  }

  /**
   * Rows were committed: pass now instead of at the next poll. Same pass as the poll's (the
   * advisory lock, commit order and the set-aside hold are all in pass()); while publishing
   * keeps failing the backoff decides, not the commit rate.
   */
  wake(): void {
    if (this.stopped || this.failures > 0) return;
    if (this.running) {
      this.wakeRequested = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.schedule(0);
  }

  /** Publishes one batch; returns how many rows it published (throws when the pass failed). */
  async runOnce(): Promise<number> {
    const result = await this.pass();
    if (result.error !== undefined) throw result.error;
    return result.published;
  }

  /**
   * The backlog, for metrics: rows not yet published (held rows included) and rows set aside
   * and not released. Both counts run over the `published_at IS NULL` partial index.
   */
  async backlog(): Promise<{ pending: number; setAside: number }> {
    const [row] = (await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE "set_aside_at" IS NULL)::int AS pending,
              count(*) FILTER (WHERE "set_aside_at" IS NOT NULL AND "released_at" IS NULL)::int AS set_aside
         FROM ${this.table} WHERE "published_at" IS NULL`,
    )) as { pending: number; set_aside: number }[];
    return { pending: Number(row?.pending ?? 0), setAside: Number(row?.set_aside ?? 0) };
  }

  /** One pass: what it published and set aside commit even when a later send failed. */
  async pass(): Promise<RelayPassResult> {
    return this.dataSource.transaction(async (manager) => {
      const [lock] = (await manager.query(`SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked`, [`outbox-relay:${this.options.schema}`])) as { locked: boolean }[];
      if (!lock?.locked) return { published: 0, setAside: 0, read: 0 };
      // Rows behind a set-aside, unreleased row with the same key are held (not read).
      const rows = (await manager.query(
        `SELECT o."seq", o."topic", o."message_key", o."payload", o."headers" FROM ${this.table} o
          WHERE o."published_at" IS NULL AND o."set_aside_at" IS NULL
            AND NOT EXISTS (SELECT 1 FROM ${this.table} h WHERE h."set_aside_at" IS NOT NULL AND h."released_at" IS NULL
                            AND h."message_key" = o."message_key" AND h."seq" < o."seq")
          ORDER BY o."seq" LIMIT $1`,
        [this.batchSize],
      )) as Row[];
      const result: RelayPassResult = { published: 0, setAside: 0, read: rows.length };
      if (rows.length === 0) return result;
      const sendables = rows.map((row) => ({ row, key: row.message_key, value: row.payload, headers: row.headers }));
      const plan = planBatches(sendables, this.maxMessageBytes);
      // Keys set aside during this pass (by the broker's answer), with the set-aside row's seq.
      const held = new Map<string, bigint>();
      try {
        // planBatches already left out the later rows of these keys (plan.held).
        for (const s of plan.oversized) {
          await this.setAside(manager, s, `${recordSizeBytes(s)} bytes as a Kafka record, more than the broker accepts (${this.maxMessageBytes} bytes)`);
          result.setAside += 1;
        }
        for (const chunk of plan.chunks) {
          const sent = await this.sendChunk(manager, chunk, held);
          result.published += sent.published;
          result.setAside += sent.setAside;
        }
      } catch (error) {
        result.error = error;
      }
      return result;
    });
  }

  /**
   * Sends a chunk; the broker refusing it as too large splits it in halves, down to one
   * message, which is then set aside. Rows whose key got held meanwhile are skipped.
   */
  private async sendChunk(manager: EntityManager, chunk: readonly Sendable[], held: Map<string, bigint>): Promise<{ published: number; setAside: number }> {
    const live = chunk.filter((s) => {
      const heldAt = s.key === null ? undefined : held.get(s.key);
      return heldAt === undefined || BigInt(s.row.seq) < heldAt;
    });
    if (live.length === 0) return { published: 0, setAside: 0 };
    try {
      await this.send(live.map((s) => ({ topic: toSourceTopic(s.row.topic), key: s.key, value: s.value, headers: s.headers })));
    } catch (error) {
      if (!isMessageTooLargeError(error)) throw error;
      if (live.length === 1) {
        const only = live[0] as Sendable;
        await this.setAside(manager, only, `the broker refused it as too large (${errorText(error)}; ${recordSizeBytes(only)} bytes as a Kafka record)`);
        if (only.key !== null && !held.has(only.key)) held.set(only.key, BigInt(only.row.seq));
        return { published: 0, setAside: 1 };
      }
      const middle = Math.ceil(live.length / 2);
      const first = await this.sendChunk(manager, live.slice(0, middle), held);
      const second = await this.sendChunk(manager, live.slice(middle), held);
      return { published: first.published + second.published, setAside: first.setAside + second.setAside };
    }
    await manager.query(`UPDATE ${this.table} SET "published_at" = now() WHERE "seq" = ANY($1::bigint[])`, [live.map((s) => s.row.seq)]);
    return { published: live.length, setAside: 0 };
  }

  private async send(messages: RawMessage[]): Promise<void> {
    if (this.publisher.sendRaw) return this.publisher.sendRaw(messages);
    await Promise.all(messages.map((m) => this.publisher.republishRaw(m.topic as SourceTopic, m.key, m.value, m.headers)));
  }

  /**
   * Publishes the dead letter first, then marks the row: if the broker is down the pass
   * fails and the row stays as it was (retried later), never set aside without its letter.
   */
  private async setAside(manager: EntityManager, s: Sendable, reason: string): Promise<void> {
    const topic = toSourceTopic(s.row.topic);
    const letter = setAsideDeadLetter(this.options.schema, s.row, reason);
    const dlqTopic = deadLetterTopicOf(topic);
    const value = JSON.stringify(letter);
    const headers = { [MESSAGE_ID_HEADER]: letter.deadLetterId };
    if (exceedsBrokerLimit({ key: s.key, value, headers }, this.maxMessageBytes)) throw new Error(`dead letter of outbox row ${s.row.seq} is itself too large`);
    if (this.publisher.sendRaw) await this.publisher.sendRaw([{ topic: dlqTopic, key: s.key, value, headers }]);
    else throw new Error('the relay publisher cannot publish dead letters (no sendRaw)');
    await manager.query(`UPDATE ${this.table} SET "set_aside_at" = now(), "set_aside_reason" = $2 WHERE "seq" = $1`, [s.row.seq, reason]);
    this.logger.error({ msg: 'outbox message set aside; later messages with its key are held until it is released', schema: this.options.schema, seq: s.row.seq, topic, reason });
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
    this.wakeRequested = false;
    let result: RelayPassResult | null = null;
    try {
      result = await this.pass();
    } catch (error) {
      result = { published: 0, setAside: 0, read: 0, error };
    }
    if (result.error !== undefined) {
      this.failures += 1;
      this.logger.warn({ msg: 'outbox relay pass failed, will retry', published: result.published, err: errorText(result.error) });
      this.schedule(Math.min(this.pollMs * 2 ** Math.min(this.failures, 10), this.maxBackoffMs));
      return;
    }
    this.failures = 0;
    // A full batch means more is waiting, and a commit announced during the pass may not have
    // been read: go again at once.
    this.schedule(result.read >= this.batchSize || this.wakeRequested ? 0 : this.pollMs);
  }
}

/**
 * The dead letter of a set-aside outbox row: the reason, where the row is (schema, seq,
 * message id), its key and size, and a bounded preview of the payload (the whole never
 * fits: that is why it was set aside). Replaying it cannot publish the original.
 */
export function setAsideDeadLetter(schema: string, row: Row, reason: string): DeadLetterEnvelope {
  const now = new Date().toISOString();
  const messageId = row.headers[MESSAGE_ID_HEADER] ?? `${schema}:${row.seq}`;
  const bytes = Buffer.byteLength(row.payload, 'utf8');
  return {
    deadLetterId: deterministicUuid(`outbox-set-aside:${schema}:${row.seq}:${messageId}`),
    originalTopic: toSourceTopic(row.topic),
    key: row.message_key,
    payload: previewOf(row.payload, PREVIEW_CHARS),
    headers: {
      [MESSAGE_ID_HEADER]: messageId,
      'x-outbox-schema': schema,
      'x-outbox-seq': row.seq,
      'x-payload-bytes': String(bytes),
      'x-payload-preview': 'true',
    },
    errorCode: SET_ASIDE_ERROR_CODE,
    errorMessage: `outbox message ${schema}#${row.seq} (key ${row.message_key ?? 'none'}, ${bytes} bytes) set aside: ${reason}. The payload here is a preview; later messages with this key are held in the outbox until the row is released.`,
    retryable: false,
    attempts: 1,
    firstFailedAt: now,
    lastFailedAt: now,
    consumerGroup: `outbox-relay:${schema}`,
    partition: null,
    offset: null,
    organizationId: organizationIdOf(row.payload),
  };
}

function organizationIdOf(payload: string): string | null {
  try {
    const parsed = JSON.parse(payload) as { organizationId?: unknown };
    return typeof parsed.organizationId === 'string' ? parsed.organizationId : null;
  } catch {
    return null;
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function toSourceTopic(topic: string): SourceTopic {
  if (!(ALL_SOURCE_TOPICS as readonly string[]).includes(topic)) throw new Error(`outbox row names an unknown topic: ${topic}`);
  return topic as SourceTopic;
}

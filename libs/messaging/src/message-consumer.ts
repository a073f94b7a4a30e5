import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, Optional } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { KafkaContext } from '@nestjs/microservices';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  AppError, deadLetterTopicOf, failureClassOf, FailureClass, MESSAGE_ID_HEADER, SourceTopic, TOPIC_CONTRACTS,
  TopicPayloads, validatePayload,
} from '@incident-sync/contracts';
import { ParkedRecord, ParkFailure, ParkingLot } from '@incident-sync/persistence';
import { Metrics } from '@incident-sync/service-runtime';
import { EventPublisher } from './event-publisher';
import { DEFAULT_MAX_PARKED_MS, DEFAULT_RETRY_POLICY, MESSAGING_OPTIONS, MessagingOptions, RetryPolicy } from './messaging.options';
import { BackoffPolicy, DEFAULT_BACKOFF, retryDelayMs } from './retry-backoff';
import { deadLetterEnvelope, DeadLetterOrigin, describe, ParkedTooLongError, stringField } from './dead-letter-envelope';

export { deadLetterIdOf, PARK_HISTORY_HEADER } from './dead-letter-envelope';

export interface ConsumedMessage<T> {
  topic: SourceTopic;
  key: string | null;
  /** The contract's message id (the inbox key). */
  messageId: string;
  payload: T;
  headers: Record<string, string>;
  partition: number;
  offset: string;
}

/** The parts of a Kafka record the pipeline needs; KafkaContext and tests both provide them. */
export interface RawRecord {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | string | null;
  value: Buffer | string | null;
  headers: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
  heartbeat?: () => Promise<void>;
}

export type MessageHandler<T extends SourceTopic> = (message: ConsumedMessage<TopicPayloads[T]>) => Promise<void>;

const text = (v: Buffer | string | null | undefined): string | null => (v == null ? null : Buffer.isBuffer(v) ? v.toString('utf8') : String(v));

export function rawRecordOf(context: KafkaContext): RawRecord {
  const m = context.getMessage();
  return {
    topic: context.getTopic(),
    partition: context.getPartition(),
    offset: m.offset,
    key: m.key,
    value: m.value,
    headers: (m.headers ?? {}) as RawRecord['headers'],
    heartbeat: context.getHeartbeat(),
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

type AnyHandler = (message: ConsumedMessage<unknown>) => Promise<void>;

interface Parsed<T> {
  message: ConsumedMessage<T>;
  rawValue: string;
}

/**
 * Runs one consumer handler over one record (CONVENTIONS §2, §8; docs/ARCHITECTURE.md
 * "Ordering and failure model"):
 *  - the value is parsed and validated against the topic's contract class; a malformed
 *    message goes to `<topic>.dlq` with the reason at once;
 *  - a permanent failure is dead-lettered at once; the key's later records then flow;
 *  - a transient failure parks the record in the service's `parked_message` table, keyed by
 *    its Kafka key; later records with that key park behind it in order, other keys keep
 *    flowing. The drainer retries the head with capped exponential backoff (or the wait the
 *    failure asked for) until it succeeds, then releases the rest in order. A record parked
 *    longer than `parking.maxParkedMs` goes to the DLQ with its history;
 *  - a failure nobody classified is parked too, but after `retry.maxAttempts` tries it is
 *    treated as a poison message and dead-lettered;
 *  - dead-letter ids are derived from (consumer group, topic, partition, offset);
 *  - without a database (or while it is down, so nothing can be parked) the record is retried
 *    in place: nothing is committed past it.
 */
@Injectable()
export class MessageConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(MessageConsumer.name);
  private readonly retry: RetryPolicy;
  private readonly backoff: BackoffPolicy;
  private readonly maxParkedMs: number;
  private readonly pollMs: number;
  private readonly handlers = new Map<string, AnyHandler>();
  private readonly owner = `consumer-${randomUUID()}`;
  private parking: ParkingLot | null = null;
  /** The service has a database, but whether its `parked_message` exists is not known yet (it did not answer). */
  private undecidedLot: ParkingLot | null = null;
  private drainTimer: NodeJS.Timeout | null = null;
  private draining: Promise<void> | null = null;
  private stopping = false;

  constructor(
    private readonly publisher: EventPublisher,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    @Optional() private readonly moduleRef?: ModuleRef,
    @Optional() private readonly metrics?: Metrics,
  ) {
    this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.backoff = options.parking?.backoff ?? DEFAULT_BACKOFF;
    this.maxParkedMs = options.parking?.maxParkedMs ?? DEFAULT_MAX_PARKED_MS;
    this.pollMs = options.parking?.pollMs ?? 500;
  }

  /**
   * Parking is on when the service has a database whose migrations created `parked_message`.
   * Whether it has is asked until the database answers: a service that boots while PostgreSQL
   * restarts must not run without parking for the rest of its life (every transient failure
   * would then retry in place and hold its whole partition, other tenants' incidents included).
   */
  async onApplicationBootstrap(): Promise<void> {
    let dataSource: DataSource | undefined;
    try {
      dataSource = this.moduleRef?.get(DataSource, { strict: false });
    } catch {
      dataSource = undefined;
    }
    if (!dataSource) return;
    this.undecidedLot = new ParkingLot(dataSource);
    await this.decideParking();
    this.scheduleDrain(this.pollMs);
  }

  /** Asks the database whether parking is on; while it does not answer, the question stays open. */
  private async decideParking(): Promise<void> {
    const lot = this.undecidedLot;
    if (lot === null) return;
    let available: boolean;
    try {
      available = await lot.available();
    } catch (error) {
      this.logger.warn({ msg: 'cannot tell yet whether messages can be parked (the database does not answer); retrying in place meanwhile', error: describe(error) });
      return;
    }
    if (this.undecidedLot !== lot) return;
    this.undecidedLot = null;
    if (!available) return;
    this.parking = lot;
    this.metrics?.gaugeReadAtScrape('incident_sync_parked_messages', 'Consumed records parked after a transient failure (or waiting behind one of their key), by topic', ['topic'], async () => {
      // Every topic this service consumes has a sample, 0 included.
      const counts = new Map<string, number>([...this.handlers.keys()].map((route) => [route.slice(route.indexOf('|') + 1), 0]));
      for (const r of await lot.countByTopic()) counts.set(r.topic, r.parked);
      return [...counts].map(([topic, value]) => ({ labels: { topic }, value }));
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.drainTimer) clearTimeout(this.drainTimer);
    await this.draining;
  }

  /**
   * Makes a handler known before its first record arrives, so records parked before a restart
   * are drained even when no new record comes. `consume()` registers too.
   */
  register<T extends SourceTopic>(topic: T, handler: MessageHandler<T>, consumerGroup = this.options.clientId): void {
    this.handlers.set(`${consumerGroup}|${topic}`, handler as AnyHandler);
  }

  /** For @EventPattern handlers: `return this.consumer.consume(Topic.X, ctx, (m) => this.service.handle(m))`. */
  consume<T extends SourceTopic>(topic: T, context: KafkaContext, handler: MessageHandler<T>, consumerGroup = this.options.clientId): Promise<void> {
    return this.process(topic, rawRecordOf(context), handler, consumerGroup);
  }

  async process<T extends SourceTopic>(topic: T, record: RawRecord, handler: MessageHandler<T>, consumerGroup = this.options.clientId): Promise<void> {
    this.register(topic, handler, consumerGroup);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(record.headers)) {
      const first = Array.isArray(value) ? value[0] : value;
      const t = text(first);
      if (t !== null) headers[name] = t;
    }
    const rawValue = text(record.value) ?? '';
    const key = text(record.key);
    const firstFailedAt = new Date().toISOString();

    let message: ConsumedMessage<TopicPayloads[T]>;
    try {
      message = this.parse(topic, key, rawValue, headers, record.partition, record.offset).message;
    } catch (error) {
      await this.deadLetter({ topic, consumerGroup, partition: record.partition, offset: record.offset, key, payload: rawValue, headers }, error, failureClassOf(error), 1, firstFailedAt, []);
      return;
    }
    const parkKey = key ?? `~${record.partition}:${record.offset}`;

    for (let attempt = 1; ; attempt += 1) {
      let failure: unknown;
      try {
        if (this.parking && (await this.parking.isParked(consumerGroup, topic, parkKey))) {
          await this.parking.park({ ...this.parkRequest(topic, consumerGroup, parkKey, record, key, rawValue, headers) });
          return;
        }
        await handler(message);
        return;
      } catch (error) {
        failure = error;
      }
      const kind = failureClassOf(failure);
      if (this.undecidedLot !== null) await this.decideParking();
      if (kind.kind === 'permanent' || (kind.kind === 'unknown' && attempt >= this.retry.maxAttempts && !this.parking)) {
        await this.deadLetter({ topic, consumerGroup, partition: record.partition, offset: record.offset, key, payload: rawValue, headers }, failure, kind, attempt, firstFailedAt, []);
        return;
      }
      const delay = this.parking ? retryDelayMs(attempt, kind.retryAfterMs, this.backoff) : Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
      if (this.parking) {
        const at = new Date().toISOString();
        try {
          await this.parking.park({
            ...this.parkRequest(topic, consumerGroup, parkKey, record, key, rawValue, headers),
            failure: { at, code: kind.code, message: describe(failure), nextAttemptAt: new Date(Date.now() + delay) },
          });
          this.logger.warn({ msg: 'message parked behind a transient failure', topic, partition: record.partition, offset: record.offset, parkKey, code: kind.code, error: describe(failure), retryInMs: delay });
          return;
        } catch (parkError) {
          // Our own database is down: nothing can be parked, so nothing may be committed past
          // this record. Every key of this service waits for the database alike.
          this.logger.warn({ msg: 'message could not be parked; retrying in place', topic, partition: record.partition, offset: record.offset, error: describe(parkError) });
        }
      } else {
        this.logger.warn({ msg: 'message handling failed; retrying', topic, partition: record.partition, offset: record.offset, attempt, code: kind.code, error: describe(failure), retryInMs: delay });
      }
      await this.pause(delay, record.heartbeat);
    }
  }

  /** Sleeps in slices, heartbeating, so a long backoff does not cost the partition its consumer. */
  private async pause(ms: number, heartbeat?: () => Promise<void>): Promise<void> {
    let left = ms;
    while (left > 0 && !this.stopping) {
      const slice = Math.min(left, 3000);
      await sleep(slice);
      left -= slice;
      await heartbeat?.().catch(() => undefined);
    }
  }

  private parse<T extends SourceTopic>(topic: T, key: string | null, rawValue: string, headers: Record<string, string>, partition: number, offset: string): Parsed<TopicPayloads[T]> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(rawValue);
    } catch {
      throw new AppError('MALFORMED_MESSAGE', 'value is not JSON');
    }
    const payload = validatePayload(TOPIC_CONTRACTS[topic].payload as new () => TopicPayloads[T] & object, parsed, 'MALFORMED_MESSAGE');
    return { rawValue, message: { topic, key, payload, headers, partition, offset, messageId: TOPIC_CONTRACTS[topic].messageId(payload) } };
  }

  private parkRequest(topic: SourceTopic, consumerGroup: string, parkKey: string, record: RawRecord, key: string | null, rawValue: string, headers: Record<string, string>) {
    return {
      consumerGroup, topic, parkKey, partition: record.partition, offset: record.offset, messageKey: key, payload: rawValue, headers,
      organizationId: stringField(rawValue, 'organizationId'), integrationId: stringField(rawValue, 'integrationId'),
    };
  }

  /**
   * The integration's parked records are due now (it was enabled again, its credentials
   * changed…): they are retried on the drainer's next pass, in order, instead of after their
   * backoff. Without parking there is nothing to wake.
   */
  async wake(integrationId: string): Promise<number> {
    return this.parking ? this.parking.wake(integrationId) : 0;
  }

  // --- the drainer --------------------------------------------------------------------

  private scheduleDrain(ms: number): void {
    if (this.stopping) return;
    this.drainTimer = setTimeout(() => {
      this.draining = this.drainOnce()
        .catch((error: unknown) => this.logger.warn({ msg: 'parking drainer pass failed', error: describe(error) }))
        .finally(() => {
          this.draining = null;
          this.scheduleDrain(this.pollMs);
        });
    }, ms);
  }

  /** One pass: claim due heads of every parked key this instance can handle, retry each key in order. */
  async drainOnce(): Promise<void> {
    if (this.undecidedLot !== null) await this.decideParking();
    const lot = this.parking;
    if (!lot || this.stopping) return;
    const routes = [...this.handlers.keys()];
    const heads = await lot.claimDue(routes, this.owner, 120000, 16);
    // Keys are independent: a slow key (a peer timing out) must not hold the others.
    await Promise.all(heads.map((head) => this.drainKey(lot, head)));
  }

  private async drainKey(lot: ParkingLot, first: ParkedRecord): Promise<void> {
    let head: ParkedRecord | undefined = first;
    while (head && !this.stopping) {
      const done = await this.retryHead(lot, head);
      if (!done) return;
      [head] = await lot.claimDue([`${head.consumerGroup}|${head.topic}`], this.owner, 120000, 1, { topic: head.topic, parkKey: head.parkKey });
    }
  }

  /** Tries a parked head once; true when it left the lot (applied or dead-lettered). */
  private async retryHead(lot: ParkingLot, row: ParkedRecord): Promise<boolean> {
    const handler = this.handlers.get(`${row.consumerGroup}|${row.topic}`);
    const topic = row.topic as SourceTopic;
    const origin = { topic, consumerGroup: row.consumerGroup, partition: row.partition, offset: row.offset, key: row.messageKey, payload: row.payload, headers: row.headers };
    const firstFailedAt = (row.firstFailedAt ?? row.parkedAt).toISOString();
    let failure: unknown;
    try {
      if (!handler) throw new Error(`no handler for ${row.consumerGroup}|${row.topic}`);
      const { message } = this.parse(topic, row.messageKey, row.payload, row.headers, row.partition, row.offset);
      await handler(message as ConsumedMessage<unknown>);
      await lot.release(row.seq);
      if (row.attempts > 0) this.logger.log({ msg: 'parked message applied', topic: row.topic, partition: row.partition, offset: row.offset, tries: row.attempts + 1, parkKey: row.parkKey });
      return true;
    } catch (error) {
      failure = error;
    }
    const kind = failureClassOf(failure);
    const attempts = row.attempts + 1;
    const entry: ParkFailure = { at: new Date().toISOString(), code: kind.code, message: describe(failure) };
    const expired = Date.now() - row.parkedAt.getTime() > this.maxParkedMs;
    if (kind.kind === 'permanent' || (kind.kind === 'unknown' && attempts >= this.retry.maxAttempts) || expired) {
      const history = [...row.history, entry];
      const reason = expired ? new ParkedTooLongError(this.maxParkedMs, row.parkedAt, attempts, failure) : failure;
      await this.deadLetter(origin, reason, expired ? { ...kind, kind: 'transient' } : kind, Math.max(1, attempts), firstFailedAt, history);
      await lot.release(row.seq);
      return true;
    }
    const delay = retryDelayMs(attempts, kind.retryAfterMs, this.backoff);
    await lot.reschedule(row.seq, entry, new Date(Date.now() + delay));
    return false;
  }

  // --- the DLQ ------------------------------------------------------------------------

  private async deadLetter(origin: DeadLetterOrigin, error: unknown, kind: FailureClass, attempts: number, firstFailedAt: string, history: ParkFailure[]): Promise<void> {
    const envelope = deadLetterEnvelope(origin, error, kind, attempts, firstFailedAt, history);
    this.logger.warn({ msg: 'message dead-lettered', topic: origin.topic, partition: origin.partition, offset: origin.offset, deadLetterId: envelope.deadLetterId, organizationId: envelope.organizationId, attempts, code: envelope.errorCode, error: envelope.errorMessage });
    await this.publisher.publish(deadLetterTopicOf(origin.topic), envelope, { [MESSAGE_ID_HEADER]: envelope.deadLetterId });
  }
}


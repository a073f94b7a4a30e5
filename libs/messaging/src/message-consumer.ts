import { Inject, Injectable, Logger } from '@nestjs/common';
import { KafkaContext } from '@nestjs/microservices';
import { randomUUID } from 'node:crypto';
import {
  AppError, DeadLetterEnvelope, deadLetterTopicOf, isRetryable, MESSAGE_ID_HEADER, SourceTopic, TOPIC_CONTRACTS, TopicPayloads, validatePayload,
} from '@incident-sync/contracts';
import { EventPublisher } from './event-publisher';
import { DEFAULT_RETRY_POLICY, MESSAGING_OPTIONS, MessagingOptions, RetryPolicy } from './messaging.options';

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

/**
 * Runs one consumer handler over one record, so that no message blocks its partition and
 * none is lost (CONVENTIONS §2, §8):
 *  - the value is parsed and validated against the topic's contract class; a malformed
 *    message goes to `<topic>.dlq` with the reason at once;
 *  - a retryable failure is retried with exponential backoff up to `maxAttempts`, then
 *    dead-lettered with the attempt count; a permanent failure is dead-lettered at once;
 *  - only when the dead-letter write itself fails does this throw, so that Kafka redelivers
 *    the record instead of committing past it.
 */
@Injectable()
export class MessageConsumer {
  private readonly logger = new Logger(MessageConsumer.name);
  private readonly retry: RetryPolicy;

  constructor(
    private readonly publisher: EventPublisher,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
  ) {
    this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
  }

  /** For @EventPattern handlers: `return this.consumer.consume(Topic.X, ctx, (m) => this.service.handle(m))`. */
  consume<T extends SourceTopic>(topic: T, context: KafkaContext, handler: (message: ConsumedMessage<TopicPayloads[T]>) => Promise<void>, consumerGroup = this.options.clientId): Promise<void> {
    return this.process(topic, rawRecordOf(context), handler, consumerGroup);
  }

  async process<T extends SourceTopic>(topic: T, record: RawRecord, handler: (message: ConsumedMessage<TopicPayloads[T]>) => Promise<void>, consumerGroup = this.options.clientId): Promise<void> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(record.headers)) {
      const first = Array.isArray(value) ? value[0] : value;
      const t = text(first);
      if (t !== null) headers[name] = t;
    }
    const rawValue = text(record.value) ?? '';
    const key = text(record.key);
    const firstFailedAt = new Date().toISOString();

    let payload: TopicPayloads[T];
    try {
      let parsed: unknown;
      try {
        parsed = JSON.parse(rawValue);
      } catch {
        throw new AppError('MALFORMED_MESSAGE', 'value is not JSON');
      }
      payload = validatePayload(TOPIC_CONTRACTS[topic].payload as new () => TopicPayloads[T] & object, parsed, 'MALFORMED_MESSAGE');
    } catch (error) {
      await this.deadLetter(topic, record, key, rawValue, headers, error, 1, firstFailedAt, consumerGroup);
      return;
    }

    const message: ConsumedMessage<TopicPayloads[T]> = {
      topic, key, payload, headers, partition: record.partition, offset: record.offset,
      messageId: TOPIC_CONTRACTS[topic].messageId(payload),
    };
    for (let attempt = 1; ; attempt += 1) {
      try {
        await handler(message);
        return;
      } catch (error) {
        if (!isRetryable(error) || attempt >= this.retry.maxAttempts) {
          await this.deadLetter(topic, record, key, rawValue, headers, error, attempt, firstFailedAt, consumerGroup);
          return;
        }
        const delay = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
        this.logger.warn({ msg: 'message handling failed; retrying', topic, partition: record.partition, offset: record.offset, messageId: message.messageId, attempt, retryInMs: delay, error: describe(error) });
        await sleep(delay);
        await record.heartbeat?.().catch(() => undefined);
      }
    }
  }

  private async deadLetter(topic: SourceTopic, record: RawRecord, key: string | null, payload: string, headers: Record<string, string>, error: unknown, attempts: number, firstFailedAt: string, consumerGroup: string): Promise<void> {
    const envelope: DeadLetterEnvelope = {
      deadLetterId: randomUUID(),
      originalTopic: topic,
      key,
      payload,
      headers,
      errorCode: error instanceof AppError ? error.code : 'INTERNAL',
      errorMessage: describe(error),
      retryable: isRetryable(error),
      attempts,
      firstFailedAt,
      lastFailedAt: new Date().toISOString(),
      consumerGroup,
      partition: record.partition,
      offset: record.offset,
      organizationId: organizationOf(payload),
    };
    this.logger.warn({ msg: 'message dead-lettered', topic, partition: record.partition, offset: record.offset, deadLetterId: envelope.deadLetterId, organizationId: envelope.organizationId, attempts, code: envelope.errorCode, error: envelope.errorMessage });
    await this.publisher.publish(deadLetterTopicOf(topic), envelope, { [MESSAGE_ID_HEADER]: envelope.deadLetterId });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function organizationOf(raw: string): string | null {
  try {
    const value = JSON.parse(raw) as { organizationId?: unknown };
    return typeof value.organizationId === 'string' ? value.organizationId : null;
  } catch {
    return null;
  }
}

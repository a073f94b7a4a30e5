import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { ClientKafka } from '@nestjs/microservices';
import { randomUUID } from 'node:crypto';
import { Message, Partitioners, Producer } from 'kafkajs';
import { MESSAGE_ID_HEADER, SourceTopic, TOPIC_CONTRACTS, TopicName, TopicPayloads, validatePayload } from '@incident-sync/contracts';
import { isMessageTooLargeError, type RawMessage } from '@incident-sync/persistence';
import { kafkaLogCreator, KAFKA_LOG_LEVEL } from './kafka-log';
import { MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';

interface Pending {
  topic: string;
  message: Message;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * The only way code writes to Kafka. `publish(topic, payload)` only type-checks when the
 * payload class is the topic's (libs/contracts), the key comes from the contract, and the
 * payload is validated before it leaves. The producer is idempotent with acks=-1; calls
 * made within `lingerMs` share one produce request, and each caller resolves only once the
 * broker acknowledged the batch holding its message.
 */
@Injectable()
export class EventPublisher implements OnModuleDestroy {
  private readonly logger = new Logger(EventPublisher.name);
  private client: ClientKafka;
  private producer: Producer | null = null;
  private connecting: Promise<Producer> | null = null;
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** Flushes run one after another so per-partition order follows call order. */
  private flushing: Promise<void> = Promise.resolve();
  private readonly lingerMs: number;
  private readonly options: MessagingOptions;

  constructor(@Inject(MESSAGING_OPTIONS) options: MessagingOptions) {
    this.lingerMs = options.lingerMs ?? 2;
    this.client = this.newClient(options);
    this.options = options;
  }

  private newClient(options: MessagingOptions): ClientKafka {
    return new ClientKafka({
      client: { clientId: `${options.clientId}-producer`, brokers: options.brokers, logLevel: KAFKA_LOG_LEVEL, logCreator: kafkaLogCreator },
      producer: { idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false },
      producerOnlyMode: true,
    });
  }

  async publish<T extends TopicName>(topic: T, payload: TopicPayloads[T], headers: Record<string, string> = {}): Promise<void> {
    const contract = TOPIC_CONTRACTS[topic];
    validatePayload(contract.payload as new () => object, JSON.parse(JSON.stringify(payload)));
    await this.enqueue(topic, {
      key: contract.key(payload),
      value: JSON.stringify(payload),
      headers: { [MESSAGE_ID_HEADER]: contract.messageId(payload), ...headers },
    });
  }

  /**
   * Re-publishes a message exactly as it was received (dead-letter replay): it is not
   * re-validated here because the consumer of `topic` validates every message anyway.
   */
  async republishRaw(topic: SourceTopic, key: string | null, value: string, headers: Record<string, string>): Promise<void> {
    await this.enqueue(topic, { key, value, headers: { [MESSAGE_ID_HEADER]: headers[MESSAGE_ID_HEADER] ?? randomUUID(), ...headers } });
  }

  /**
   * Sends exactly these messages in one produce request of their own, after everything
   * queued before (per-partition order follows call order). The outbox relay sizes these
   * requests to the broker's limit, so they are not merged with other callers' messages.
   * Rejects with kafkajs's error (MESSAGE_TOO_LARGE stays recognisable in it).
   */
  async sendRaw(messages: readonly RawMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const byTopic = new Map<string, Message[]>();
    for (const m of messages) {
      const list = byTopic.get(m.topic) ?? [];
      list.push({ key: m.key, value: m.value, headers: { [MESSAGE_ID_HEADER]: m.headers[MESSAGE_ID_HEADER] ?? randomUUID(), ...m.headers } });
      byTopic.set(m.topic, list);
    }
    const run = this.flushing.then(async () => {
      const producer = await this.connect();
      try {
        await producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, list]) => ({ topic, messages: list })) });
      } catch (error) {
        await this.afterRefusal(error);
        throw error;
      }
    });
    this.flushing = run.catch(() => undefined);
    await run;
  }

  /**
   * Used by readiness checks: true once connected to the cluster. ClientKafka keeps its first
   * connect() promise for good, a rejected one too, so after a failed connect (the broker was
   * restarting) every later call would fail at once with the old error and the service would
   * never become ready nor publish again: a failed client is dropped and the next call builds a
   * new one.
   */
  async connect(): Promise<Producer> {
    if (this.producer) return this.producer;
    this.connecting ??= this.client.connect().then((p) => {
      this.producer = p;
      return p;
    }, (error: unknown) => {
      const failed = this.client;
      this.client = this.newClient(this.options);
      void failed.close().catch(() => undefined);
      throw error;
    }).finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private enqueue(topic: string, message: Message): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ topic, message, resolve, reject });
      this.timer ??= setTimeout(() => {
        this.flushing = this.flushing.then(() => this.flush());
      }, this.lingerMs);
    });
  }

  private async flush(): Promise<void> {
    this.timer = null;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    const byTopic = new Map<string, Message[]>();
    for (const item of batch) {
      const list = byTopic.get(item.topic) ?? [];
      list.push(item.message);
      byTopic.set(item.topic, list);
    }
    try {
      const producer = await this.connect();
      await producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
      batch.forEach((p) => p.resolve());
    } catch (error) {
      this.logger.warn({ msg: 'produce failed', messages: batch.length, err: error });
      await this.afterRefusal(error);
      batch.forEach((p) => p.reject(error));
    }
  }

  /**
   * After the broker refused a produce request as too large (MESSAGE_TOO_LARGE,
   * RECORD_LIST_TOO_LARGE), the idempotent producer's sequence numbers no longer match the
   * broker's, and kafkajs fails the next send with OUT_OF_ORDER_SEQUENCE_NUMBER. So the
   * producer is disconnected and dropped before anything else is sent (this runs inside the
   * flush chain): the next send connects a new one, with a new producer id whose sequences
   * start over. Other errors keep the producer (kafkajs retries and reconnects on its own).
   */
  private async afterRefusal(error: unknown): Promise<void> {
    if (!isMessageTooLargeError(error)) return;
    this.logger.warn({ msg: 'the broker refused a produce request as too large; recreating the producer before the next send', err: error });
    this.producer = null;
    await this.client.close().catch((closeError: unknown) => this.logger.warn({ msg: 'closing the refused producer failed', err: closeError }));
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.flushing = this.flushing.then(() => this.flush());
    }
    await this.flushing;
    await this.client.close();
  }
}

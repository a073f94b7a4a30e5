import { randomUUID } from 'node:crypto';
import { Consumer, Kafka, logLevel } from 'kafkajs';
import { SourceTopic } from '@incident-sync/contracts';
import { testStack } from '@incident-sync/testing';
import { startGroupAtEnd } from './incidents-app.harness';

export interface TappedMessage<T> {
  key: string | null;
  value: T;
  partition: number;
  offset: string;
}

/**
 * Reads a topic on the real broker from the moment `start` returns: a fresh consumer group
 * whose offsets are first set to the end of the topic, so nothing published earlier is
 * counted and nothing published later is missed while the consumer is still joining.
 */
export class TopicTap<T> {
  readonly messages: TappedMessage<T>[] = [];

  private constructor(private readonly kafka: Kafka, private readonly consumer: Consumer, private readonly groupId: string) {}

  static async start<T>(topic: SourceTopic): Promise<TopicTap<T>> {
    const kafka = new Kafka({ clientId: 'incidents-it-tap', brokers: testStack.kafkaBrokers, logLevel: logLevel.NOTHING });
    const groupId = `incidents-it-tap-${randomUUID().slice(0, 8)}`;
    const admin = kafka.admin();
    await admin.connect();
    await startGroupAtEnd(admin, groupId, topic);
    await admin.disconnect();
    const consumer = kafka.consumer({ groupId });
    const tap = new TopicTap<T>(kafka, consumer, groupId);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: false });
    await consumer.run({
      eachMessage: async ({ message, partition }) => {
        tap.messages.push({
          key: message.key?.toString('utf8') ?? null,
          value: JSON.parse(message.value?.toString('utf8') ?? 'null') as T,
          partition,
          offset: message.offset,
        });
      },
    });
    return tap;
  }

  where(predicate: (value: T) => boolean): TappedMessage<T>[] {
    return this.messages.filter((m) => predicate(m.value));
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
    const admin = this.kafka.admin();
    await admin.connect();
    await admin.deleteGroups([this.groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}

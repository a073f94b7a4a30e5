import { Consumer, Kafka, logLevel } from 'kafkajs';
import { randomUUID } from 'node:crypto';

export interface SeenMessage {
  topic: string;
  key: string | null;
  value: Record<string, unknown>;
  headers: Record<string, string>;
}

/**
 * Reads real topics from "now" on with a throw-away consumer group, so a test sees exactly
 * what was published while it ran. The topics must exist (ensureTopics from @incident-sync/messaging).
 */
export class TopicWatcher {
  readonly messages: SeenMessage[] = [];
  private consumer: Consumer | null = null;

  constructor(private readonly brokers: string[], private readonly topics: string[]) {}

  async start(): Promise<void> {
    const kafka = new Kafka({ clientId: 'test-watcher', brokers: this.brokers, logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: `test-watcher-${randomUUID()}` });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics: this.topics, fromBeginning: false });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.run({
      eachMessage: async ({ topic, message }) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) if (v !== undefined) headers[k] = String(Array.isArray(v) ? v[0] : v);
        this.messages.push({ topic, key: message.key?.toString('utf8') ?? null, value: JSON.parse(message.value?.toString('utf8') ?? 'null') as Record<string, unknown>, headers });
      },
    });
    await joined;
    // A new group starts at the latest offsets once it has them; give the fetch loop a beat.
    await new Promise((r) => setTimeout(r, 500));
  }

  where(predicate: (m: SeenMessage) => boolean): SeenMessage[] {
    return this.messages.filter(predicate);
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}

import { randomUUID } from 'node:crypto';
import { Consumer, Kafka } from 'kafkajs';

export interface CollectedMessage<T> {
  key: string | null;
  value: T;
  headers: Record<string, string>;
  partition: number;
  offset: string;
}

export interface TopicCollector<T> {
  messages: CollectedMessage<T>[];
  stop(): Promise<void>;
}

/**
 * Test helper: reads a real topic from the beginning with a throw-away consumer group and
 * keeps every message (parsed as JSON when possible). Resolves once the group has joined.
 */
export async function collectTopic<T = unknown>(brokers: string[], topic: string): Promise<TopicCollector<T>> {
  const consumer: Consumer = new Kafka({ clientId: 'collector', brokers }).consumer({ groupId: `collector-${randomUUID()}` });
  const messages: CollectedMessage<T>[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.run({
    eachMessage: async ({ message, partition }) => {
      const text = message.value?.toString('utf8') ?? '';
      let value: unknown = text;
      try { value = JSON.parse(text); } catch { /* keep text */ }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(message.headers ?? {})) if (v !== undefined) headers[k] = String(Array.isArray(v) ? v[0] : v);
      messages.push({ key: message.key?.toString('utf8') ?? null, value: value as T, headers, partition, offset: message.offset });
    },
  });
  await joined;
  return { messages, stop: () => consumer.disconnect() };
}

import { Kafka } from 'kafkajs';
import { TOPIC_SPECS, TopicSpec } from '@incident-sync/contracts';
import { kafkaLogCreator, KAFKA_LOG_LEVEL } from './kafka-log';

/**
 * Creates every topic the product uses, with its partitions and cleanup policy. Consumers
 * must not start before their topics exist: a Nest Kafka server's listen() rejects with
 * UNKNOWN_TOPIC_OR_PARTITION otherwise (RECIPE), and broker auto-creation is off.
 */
export async function ensureTopics(brokers: string[], specs: readonly TopicSpec[] = TOPIC_SPECS): Promise<void> {
  const admin = new Kafka({ clientId: 'incident-sync-admin', brokers, logLevel: KAFKA_LOG_LEVEL, logCreator: kafkaLogCreator }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((s) => !existing.has(s.name));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((s) => ({
          topic: s.name,
          numPartitions: s.partitions,
          replicationFactor: 1,
          configEntries: [{ name: 'cleanup.policy', value: s.cleanupPolicy }],
        })),
      });
    }
  } catch (error) {
    // Another service created the same topic between list and create: that is fine.
    if (!(error instanceof Error) || !/already exists/i.test(error.message)) throw error;
  } finally {
    await admin.disconnect();
  }
}

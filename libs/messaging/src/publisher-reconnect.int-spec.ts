import { randomUUID } from 'node:crypto';
import { Kafka } from 'kafkajs';
import { TcpGate, testStack } from '@incident-sync/testing';
import { EventPublisher } from './event-publisher';

/**
 * A service that starts while the broker is away (its first connect fails) must connect once the
 * broker is back: ClientKafka keeps a failed first connect for good, so a publisher that reused it
 * stayed "not ready" and could never publish again (found by the fault tier: a dlq-manager
 * restarted during a Kafka restart never became ready).
 */
describe('EventPublisher after a failed connect (real broker)', () => {
  it('given the broker refused the first connect, when it answers again, then connect succeeds and a publish is acknowledged', async () => {
    const door = await TcpGate.to(testStack.kafkaBrokers[0] ?? '');
    const topic = `it-reconnect-${randomUUID().slice(0, 8)}`;
    const admin = new Kafka({ clientId: 'it-reconnect-admin', brokers: testStack.kafkaBrokers, logLevel: 0 }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    // Bootstrap goes through the gate; after it, kafkajs talks to the broker's advertised address.
    const publisher = new EventPublisher({ clientId: 'it-reconnect', brokers: [door.address] });
    try {
      await expect(publisher.connect()).rejects.toThrow();
      await door.open();
      const producer = await publisher.connect();
      const acks = await producer.send({ topic, acks: -1, messages: [{ key: 'it-reconnect', value: '{}' }] });
      expect(acks[0]?.errorCode).toBe(0);
    } finally {
      await publisher.onModuleDestroy().catch(() => undefined);
      await door.shut();
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin.disconnect();
    }
  }, 120000);
});

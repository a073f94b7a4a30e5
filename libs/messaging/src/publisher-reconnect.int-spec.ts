import { createServer, connect, type Server, type Socket } from 'node:net';
import { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { Kafka } from 'kafkajs';
import { testStack } from '@incident-sync/testing';
import { EventPublisher } from './event-publisher';

/** A port that refuses connections until `open()`, then forwards each connection to the real broker. */
async function gate(target: { host: string; port: number }): Promise<{ port: number; open: () => Promise<void>; close: () => Promise<void> }> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  let server: Server | null = null;
  const sockets = new Set<Socket>();
  return {
    port,
    open: async () => {
      server = createServer((client) => {
        const upstream = connect(target.port, target.host);
        sockets.add(client).add(upstream);
        client.pipe(upstream).pipe(client);
        const end = (): void => { client.destroy(); upstream.destroy(); };
        client.on('error', end).on('close', end);
        upstream.on('error', end).on('close', end);
      });
      await new Promise<void>((resolve) => server?.listen(port, '127.0.0.1', resolve));
    },
    close: async () => {
      sockets.forEach((s) => s.destroy());
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    },
  };
}

/**
 * A service that starts while the broker is away (its first connect fails) must connect once the
 * broker is back: ClientKafka keeps a failed first connect for good, so a publisher that reused it
 * stayed "not ready" and could never publish again (found by the fault tier: a dlq-manager
 * restarted during a Kafka restart never became ready).
 */
describe('EventPublisher after a failed connect (real broker)', () => {
  it('given the broker refused the first connect, when it answers again, then connect succeeds and a publish is acknowledged', async () => {
    const [host, port] = (testStack.kafkaBrokers[0] ?? '').split(':');
    const door = await gate({ host: host ?? '127.0.0.1', port: Number(port) });
    const topic = `it-reconnect-${randomUUID().slice(0, 8)}`;
    const admin = new Kafka({ clientId: 'it-reconnect-admin', brokers: testStack.kafkaBrokers, logLevel: 0 }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    // Bootstrap goes through the gate; after it, kafkajs talks to the broker's advertised address.
    const publisher = new EventPublisher({ clientId: 'it-reconnect', brokers: [`127.0.0.1:${door.port}`] });
    try {
      await expect(publisher.connect()).rejects.toThrow();
      await door.open();
      const producer = await publisher.connect();
      const acks = await producer.send({ topic, acks: -1, messages: [{ key: 'it-reconnect', value: '{}' }] });
      expect(acks[0]?.errorCode).toBe(0);
    } finally {
      await publisher.onModuleDestroy().catch(() => undefined);
      await door.close();
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin.disconnect();
    }
  }, 120000);
});

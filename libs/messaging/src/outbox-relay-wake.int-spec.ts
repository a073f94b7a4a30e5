import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { PagerDutyCommandResultV1, Topic } from '@incident-sync/contracts';
import { EventPublisher } from './event-publisher';
import { ensureTopics } from './topic-admin';
import { collectTopic, testStack, TopicCollector, waitFor } from '@incident-sync/testing';
import { addToOutbox, InboxMessageEntity, inboxOutboxV1Up, outboxChannel, outboxSetAsideV2Up, OutboxMessageEntity, OutboxRelay } from '@incident-sync/persistence';

const schema = `it_wake_${randomUUID().slice(0, 8)}`;

const result = (): PagerDutyCommandResultV1 => ({
  resultId: randomUUID(), commandIds: [randomUUID()], organizationId: 'org-it', integrationId: 'int-it',
  platformIncidentId: randomUUID(), pdIncidentId: null, action: 'create_incident', outcome: 'succeeded',
  completedAt: new Date().toISOString(),
});

/**
 * Issue #16: a commit that adds outbox rows wakes the relay (LISTEN/NOTIFY) instead of the
 * rows waiting for the next poll. The relays here poll once a minute, so every publication
 * within the test's seconds came from a wake-up.
 */
describe('outbox relay woken by commits, on the real database and broker', () => {
  let dataSource: DataSource;
  let publisher: EventPublisher;
  let topic: TopicCollector<PagerDutyCommandResultV1>;
  let relay: OutboxRelay | null = null;

  beforeAll(async () => {
    const admin = new Client({ connectionString: testStack.databaseUrl });
    await admin.connect();
    await admin.query(`CREATE SCHEMA "${schema}"`);
    for (const sql of [...inboxOutboxV1Up(schema), ...outboxSetAsideV2Up(schema)]) await admin.query(sql);
    await admin.end();
    dataSource = await new DataSource({ type: 'postgres', url: testStack.databaseUrl, schema, entities: [InboxMessageEntity, OutboxMessageEntity] }).initialize();
    await ensureTopics(testStack.kafkaBrokers);
    publisher = new EventPublisher({ clientId: 'outbox-wake-it', brokers: testStack.kafkaBrokers });
    topic = await collectTopic(testStack.kafkaBrokers, Topic.PagerDutyCommandResults);
  });

  afterEach(async () => {
    await relay?.stop();
    relay = null;
  });

  afterAll(async () => {
    await topic?.stop();
    await publisher?.onModuleDestroy();
    await dataSource?.query(`DROP SCHEMA "${schema}" CASCADE`);
    await dataSource?.destroy();
  });

  const copiesOf = (id: string): number => topic.messages.filter((m) => m.value.resultId === id).length;
  const commit = async (events: PagerDutyCommandResultV1[]): Promise<void> => {
    await dataSource.transaction(async (em) => {
      for (const event of events) await addToOutbox(em, Topic.PagerDutyCommandResults, event);
    });
  };
  const startRelay = async (): Promise<OutboxRelay> => {
    const r = new OutboxRelay(dataSource, publisher, { schema, pollMs: 60000 });
    r.start();
    // The first pass (at start) and the listener's connect pass find nothing; wait for LISTEN.
    await waitFor(async () => ((await listeners()) > 0 ? true : undefined), { what: 'the relay listening', timeoutMs: 10000 });
    return r;
  };
  const listenerPids = async (): Promise<number[]> => {
    const rows = (await dataSource.query(`SELECT pid FROM pg_stat_activity WHERE application_name = 'outbox-relay-wake' AND datname = current_database() AND query = $1`, [`LISTEN ${outboxChannel(schema)}`])) as { pid: number }[];
    return rows.map((r) => Number(r.pid));
  };
  const listeners = async (): Promise<number> => (await listenerPids()).length;

  it('publishes each commit right after it, in commit order, without waiting for the poll', async () => {
    relay = await startRelay();
    // One key (one partition), so the topic's order is the commit order.
    const key = randomUUID();
    const events = Array.from({ length: 5 }, () => ({ ...result(), platformIncidentId: key }));
    const started = Date.now();
    for (const event of events) await commit([event]);
    await waitFor(() => (events.every((e) => copiesOf(e.resultId) === 1) ? true : undefined), { what: 'every committed event on the topic', timeoutMs: 10000 });
    expect(Date.now() - started).toBeLessThan(10000);
    const order = topic.messages.filter((m) => events.some((e) => e.resultId === m.value.resultId)).map((m) => m.value.resultId);
    expect(order).toEqual(events.map((e) => e.resultId));
  });

  it('sends nothing for a transaction that rolls back', async () => {
    relay = await startRelay();
    const event = result();
    await expect(dataSource.transaction(async (em) => {
      await addToOutbox(em, Topic.PagerDutyCommandResults, event);
      throw new Error('rolled back after the outbox write');
    })).rejects.toThrow('rolled back');
    const after = result();
    await commit([after]);
    await waitFor(() => (copiesOf(after.resultId) === 1 ? true : undefined), { what: 'the committed event', timeoutMs: 10000 });
    expect(copiesOf(event.resultId)).toBe(0);
  });

  it('listens again after its connection is killed, and a commit then still wakes it', async () => {
    relay = await startRelay();
    const before = await listenerPids();
    await dataSource.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = ANY($1::int[])`, [before]);
    await waitFor(async () => ((await listenerPids()).some((pid) => !before.includes(pid)) ? true : undefined), { what: 'a new listening connection', timeoutMs: 15000 });
    const event = result();
    await commit([event]);
    await waitFor(() => (copiesOf(event.resultId) === 1 ? true : undefined), { what: 'the event published after the reconnect', timeoutMs: 10000 });
  });
});

import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { PagerDutyCommandResultV1, SourceTopic, Topic } from '@incident-sync/contracts';
import { EventPublisher } from './event-publisher';
import { ensureTopics } from './topic-admin';
import { collectTopic, testStack, TopicCollector, waitFor } from '@incident-sync/testing';
import { addToOutbox, InboxMessageEntity, inboxOutboxV1Up, outboxSetAsideV2Up, OutboxMessageEntity, OutboxRelay, pendingSchemaChanges, RawPublisher } from '@incident-sync/persistence';

const schema = `it_outbox_${randomUUID().slice(0, 8)}`;

const result = (): PagerDutyCommandResultV1 => ({
  resultId: randomUUID(), commandIds: [randomUUID()], organizationId: 'org-it', integrationId: 'int-it',
  platformIncidentId: randomUUID(), pdIncidentId: null, action: 'create_incident', outcome: 'succeeded',
  completedAt: new Date().toISOString(),
});

/** Publishing dies after the commit, as a relay process would if killed at that point. */
class CrashingPublisher implements RawPublisher {
  calls = 0;
  async republishRaw(_topic: SourceTopic): Promise<void> {
    this.calls += 1;
    throw new Error('relay killed between commit and publish');
  }
}

describe('transactional outbox and relay on the real database and broker', () => {
  let dataSource: DataSource;
  let publisher: EventPublisher;
  let topic: TopicCollector<PagerDutyCommandResultV1>;

  beforeAll(async () => {
    const admin = new Client({ connectionString: testStack.databaseUrl });
    await admin.connect();
    await admin.query(`CREATE SCHEMA "${schema}"`);
    for (const sql of [...inboxOutboxV1Up(schema), ...outboxSetAsideV2Up(schema)]) await admin.query(sql);
    await admin.query(`CREATE TABLE "${schema}"."business" ("id" uuid PRIMARY KEY, "title" text NOT NULL)`);
    await admin.end();
    dataSource = await new DataSource({ type: 'postgres', url: testStack.databaseUrl, schema, entities: [InboxMessageEntity, OutboxMessageEntity] }).initialize();
    await ensureTopics(testStack.kafkaBrokers);
    publisher = new EventPublisher({ clientId: 'outbox-it', brokers: testStack.kafkaBrokers });
    topic = await collectTopic(testStack.kafkaBrokers, Topic.PagerDutyCommandResults);
  });

  afterAll(async () => {
    await topic?.stop();
    await publisher?.onModuleDestroy();
    await dataSource?.query(`DROP SCHEMA "${schema}" CASCADE`);
    await dataSource?.destroy();
  });

  const copiesOf = (id: string): number => topic.messages.filter((m) => m.value.resultId === id).length;

  it('given a change committed while the relay cannot publish, when a new relay starts, then the event is published exactly once', async () => {
    const event = result();
    await dataSource.transaction(async (em) => {
      await em.query(`INSERT INTO "${schema}"."business" ("id", "title") VALUES ($1, 'changed')`, [event.platformIncidentId]);
      await addToOutbox(em, Topic.PagerDutyCommandResults, event);
    });

    const crashing = new CrashingPublisher();
    const first = new OutboxRelay(dataSource, crashing, { schema, pollMs: 20 });
    first.start();
    await waitFor(() => crashing.calls >= 2 || undefined, { what: 'the crashing relay to try' });
    await first.stop();
    const [pending] = (await dataSource.query(`SELECT count(*) AS n FROM "${schema}"."outbox_message" WHERE "published_at" IS NULL`)) as { n: string }[];
    expect(Number(pending?.n)).toBe(1);
    expect(copiesOf(event.resultId)).toBe(0);

    const second = new OutboxRelay(dataSource, publisher, { schema, pollMs: 20 });
    second.start();
    await waitFor(() => copiesOf(event.resultId) > 0 || undefined, { what: 'the event on the topic' });
    // Let the relay run more passes: a second copy would show up now if marking were wrong.
    await new Promise((r) => setTimeout(r, 1500));
    await second.stop();
    expect(copiesOf(event.resultId)).toBe(1);
    const message = topic.messages.find((m) => m.value.resultId === event.resultId);
    expect(message?.key).toBe(event.platformIncidentId);
    expect(message?.headers['message-id']).toBe(event.resultId);
  });

  it('given a transaction that rolls back, then neither the change nor its event exist', async () => {
    const event = result();
    await expect(dataSource.transaction(async (em) => {
      await em.query(`INSERT INTO "${schema}"."business" ("id", "title") VALUES ($1, 'never')`, [event.platformIncidentId]);
      await addToOutbox(em, Topic.PagerDutyCommandResults, event);
      throw new Error('business rule failed after the outbox write');
    })).rejects.toThrow('business rule failed');
    const relay = new OutboxRelay(dataSource, publisher, { schema, pollMs: 20 });
    relay.start();
    await new Promise((r) => setTimeout(r, 500));
    await relay.stop();
    const rows = (await dataSource.query(`SELECT count(*) AS n FROM "${schema}"."outbox_message" WHERE "message_id" = $1`, [event.resultId])) as { n: string }[];
    expect(Number(rows[0]?.n)).toBe(0);
    expect(copiesOf(event.resultId)).toBe(0);
  });

  it('rejects an outbox payload that breaks its topic contract, so nothing invalid is ever committed', async () => {
    const bad = { ...result(), outcome: 'maybe' } as unknown as PagerDutyCommandResultV1;
    await expect(dataSource.transaction((em) => addToOutbox(em, Topic.PagerDutyCommandResults, bad))).rejects.toThrow(/outcome/);
  });
});

describe('inbox and outbox tables', () => {
  it('match their entities exactly after the V1 and V2 migration SQL (no drift)', async () => {
    const schema = `it_drift_${randomUUID().slice(0, 8)}`;
    const admin = new Client({ connectionString: testStack.databaseUrl });
    await admin.connect();
    await admin.query(`CREATE SCHEMA "${schema}"`);
    for (const sql of [...inboxOutboxV1Up(schema), ...outboxSetAsideV2Up(schema)]) await admin.query(sql);
    const ds = await new DataSource({ type: 'postgres', url: testStack.databaseUrl, schema, entities: [InboxMessageEntity, OutboxMessageEntity] }).initialize();
    try {
      expect(await pendingSchemaChanges(ds)).toEqual([]);
    } finally {
      await ds.destroy();
      await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
      await admin.end();
    }
  });
});

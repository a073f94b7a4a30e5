import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { DeadLetterEnvelope, DeadLetterTopic, MESSAGE_ID_HEADER, Topic } from '@incident-sync/contracts';
import { collectTopic, testStack, TopicCollector, waitFor } from '@incident-sync/testing';
import { InboxMessageEntity, inboxOutboxV1Up, OutboxMessageEntity, OutboxRelay, outboxSetAsideV2Up } from '@incident-sync/persistence';
import { EventPublisher } from './event-publisher';
import { ensureTopics } from './topic-admin';

interface Payload { resultId: string; organizationId: string; padding?: string }

/**
 * A message the broker can never accept must not stop the relay (issue 12): it is set aside
 * with a dead letter, later messages of its key are held, other keys flow; and a broker
 * that is unreachable sets nothing aside. Real PostgreSQL and the real test broker
 * (message.max.bytes at its default, 1048588).
 */
describe('outbox relay: oversized messages are set aside, never block (real broker and database)', () => {
  const schema = `it_setaside_${randomUUID().slice(0, 8)}`;
  const table = `"${schema}"."outbox_message"`;
  let dataSource: DataSource;
  let publisher: EventPublisher;
  let topic: TopicCollector<Payload>;
  let dlq: TopicCollector<DeadLetterEnvelope>;

  beforeAll(async () => {
    const admin = new Client({ connectionString: testStack.databaseUrl });
    await admin.connect();
    await admin.query(`CREATE SCHEMA "${schema}"`);
    for (const sql of [...inboxOutboxV1Up(schema), ...outboxSetAsideV2Up(schema)]) await admin.query(sql);
    await admin.end();
    dataSource = await new DataSource({ type: 'postgres', url: testStack.databaseUrl, schema, entities: [InboxMessageEntity, OutboxMessageEntity] }).initialize();
    await ensureTopics(testStack.kafkaBrokers);
    publisher = new EventPublisher({ clientId: 'outbox-set-aside-it', brokers: testStack.kafkaBrokers });
    topic = await collectTopic(testStack.kafkaBrokers, Topic.PagerDutyCommandResults);
    dlq = await collectTopic(testStack.kafkaBrokers, DeadLetterTopic.PagerDutyCommandResults);
  });

  afterAll(async () => {
    await topic?.stop();
    await dlq?.stop();
    await publisher?.onModuleDestroy();
    await dataSource?.query(`DROP SCHEMA "${schema}" CASCADE`);
    await dataSource?.destroy();
  });

  /** Rows written as a service's transaction would (raw SQL: an oversized payload is the point). */
  const insert = async (key: string, paddingBytes = 0): Promise<string> => {
    const id = randomUUID();
    const payload: Payload = { resultId: id, organizationId: 'org-set-aside', ...(paddingBytes ? { padding: 'x'.repeat(paddingBytes) } : {}) };
    await dataSource.query(`INSERT INTO ${table} ("message_id", "topic", "message_key", "payload", "headers") VALUES ($1, $2, $3, $4, $5)`,
      [id, Topic.PagerDutyCommandResults, key, JSON.stringify(payload), { [MESSAGE_ID_HEADER]: id }]);
    return id;
  };
  const rowOf = async (id: string): Promise<{ seq: string; published_at: Date | null; set_aside_at: Date | null; set_aside_reason: string | null }> =>
    ((await dataSource.query(`SELECT "seq", "published_at", "set_aside_at", "set_aside_reason" FROM ${table} WHERE "message_id" = $1`, [id])) as never[])[0] as never;
  const published = (id: string): boolean => topic.messages.some((m) => m.value.resultId === id);

  it('given a message larger than the broker accepts, when the relay runs, then it is set aside with a dead letter, its key\'s later messages are held and other keys flow', async () => {
    const stuckKey = `incident-${randomUUID()}`;
    const otherKey = `incident-${randomUUID()}`;
    const before = await insert(otherKey);
    const big = await insert(stuckKey, 1_200_000);
    const heldBehind = await insert(stuckKey);
    const after = await insert(otherKey);
    const relay = new OutboxRelay(dataSource, publisher, { schema, pollMs: 20 });
    relay.start();
    try {
      await waitFor(() => published(before) && published(after), { what: 'the other key\'s messages on the topic', timeoutMs: 30000 });
      await waitFor(() => dlq.messages.some((m) => m.value.headers?.['x-outbox-seq'] !== undefined && m.key === stuckKey), { what: 'the dead letter of the set-aside message', timeoutMs: 30000 });
    } finally {
      await relay.stop();
    }
    const row = await rowOf(big);
    expect(row.set_aside_at).not.toBeNull();
    expect(row.published_at).toBeNull();
    expect(row.set_aside_reason).toMatch(/more than the broker accepts/);
    expect(published(big)).toBe(false);
    // Held behind the set-aside one: not published, not set aside.
    const held = await rowOf(heldBehind);
    expect(held.published_at).toBeNull();
    expect(held.set_aside_at).toBeNull();
    expect(published(heldBehind)).toBe(false);

    const letter = dlq.messages.find((m) => m.key === stuckKey)!;
    expect(letter.value.originalTopic).toBe(Topic.PagerDutyCommandResults);
    expect(letter.value.errorCode).toBe('PAYLOAD_TOO_LARGE');
    expect(letter.value.errorMessage).toContain(`#${row.seq}`);
    expect(letter.value.organizationId).toBe('org-set-aside');
    expect(letter.value.headers['x-outbox-seq']).toBe(row.seq);
    expect(Number(letter.value.headers['x-payload-bytes'])).toBeGreaterThan(1_200_000);
    expect(letter.value.payload.length).toBeLessThan(3000);

    // Released by an operator: the held message flows.
    await dataSource.query(`UPDATE ${table} SET "released_at" = now() WHERE "message_id" = $1`, [big]);
    const again = new OutboxRelay(dataSource, publisher, { schema, pollMs: 20 });
    again.start();
    try {
      await waitFor(() => published(heldBehind), { what: 'the released key\'s held message', timeoutMs: 30000 });
    } finally {
      await again.stop();
    }
  });

  it('given a relay that believes the broker accepts more, when the broker answers MESSAGE_TOO_LARGE, then that message alone is set aside and the rest of its batch is published', async () => {
    const keyA = `incident-${randomUUID()}`;
    const keyB = `incident-${randomUUID()}`;
    const small1 = await insert(keyA);
    const big = await insert(keyB, 1_100_000);
    const small2 = await insert(keyA);
    const relay = new OutboxRelay(dataSource, publisher, { schema, maxMessageBytes: 8 * 1024 * 1024 });
    let result = await relay.pass();
    while (result.read > 0 && result.error === undefined && (result.published > 0 || result.setAside > 0)) result = await relay.pass();
    expect(result.error).toBeUndefined();
    await waitFor(() => published(small1) && published(small2), { what: 'the batch\'s other messages', timeoutMs: 30000 });
    const row = await rowOf(big);
    expect(row.set_aside_at).not.toBeNull();
    expect(row.set_aside_reason).toMatch(/broker refused it as too large/);
  });

  it('given the broker is unreachable, when the relay runs, then nothing is set aside and everything stays pending', async () => {
    const key = `incident-${randomUUID()}`;
    const small = await insert(key);
    const big = await insert(key, 1_200_000);
    const down = new EventPublisher({ clientId: 'outbox-set-aside-down', brokers: ['127.0.0.1:1'] });
    try {
      const relay = new OutboxRelay(dataSource, down, { schema });
      const result = await relay.pass();
      expect(result.error).toBeDefined();
      expect(result.published).toBe(0);
      expect(result.setAside).toBe(0);
    } finally {
      await down.onModuleDestroy().catch(() => undefined);
    }
    for (const id of [small, big]) {
      const row = await rowOf(id);
      expect(row.set_aside_at).toBeNull();
      expect(row.published_at).toBeNull();
    }
  }, 120000);
});

import { Controller, INestApplication, Module } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppError, DeadLetterEnvelope, DeadLetterTopic, PagerDutyCommandResultV1, Topic } from '@incident-sync/contracts';
import { inboxOutboxV1Up, InboxMessageEntity, OutboxMessageEntity, parkedMessageV1Up } from '@incident-sync/persistence';
import { ServiceRuntimeModule } from '@incident-sync/service-runtime';
import { collectTopic, testStack, TopicCollector, waitFor } from '@incident-sync/testing';
import { ConsumedMessage, deadLetterIdOf, MessageConsumer, RawRecord } from './message-consumer';
import { EventPublisher } from './event-publisher';
import { MessagingModule } from './messaging.module';
import { connectKafkaConsumer } from './kafka-consumer';
import { ensureTopics } from './topic-admin';

const run = randomUUID().slice(0, 8);
const schema = `it_parking_${run}`;
const INTEGRATION = `parking-it-${run}`;
const GROUP = `parking-it-${run}`;
let dataSource: DataSource;

/** What the probe applied, in order, per key. */
const applied: { key: string | null; resultId: string }[] = [];
/** Keys whose handler fails transiently (database/peer unavailable) while listed. */
const unavailable = new Set<string>();
/** Keys whose handler fails permanently. */
const refused = new Set<string>();
const handlerCalls = new Map<string, number>();

const handler = async (message: ConsumedMessage<PagerDutyCommandResultV1>): Promise<void> => {
  if (message.payload.integrationId !== INTEGRATION) return; // other suites' records on the shared topic
  const key = message.payload.platformIncidentId;
  handlerCalls.set(key, (handlerCalls.get(key) ?? 0) + 1);
  if (refused.has(key)) throw new AppError('UPSTREAM_PERMANENT', 'refused by the probe');
  if (unavailable.has(key)) throw new AppError('DEPENDENCY_UNAVAILABLE', 'the probe\'s dependency is down');
  applied.push({ key: message.key, resultId: message.payload.resultId });
};

@Controller()
class ProbeConsumer {
  constructor(private readonly consumer: MessageConsumer) {
    consumer.register(Topic.PagerDutyCommandResults, handler);
  }

  @EventPattern(Topic.PagerDutyCommandResults)
  handle(@Ctx() ctx: KafkaContext): Promise<void> {
    return this.consumer.consume(Topic.PagerDutyCommandResults, ctx, handler);
  }
}

/** Stands in for PersistenceModule: the consumer base finds the service's DataSource globally. */
@Module({})
class ProbeDatabaseModule {
  static with(ds: DataSource) {
    return { module: ProbeDatabaseModule, global: true, providers: [{ provide: DataSource, useValue: ds }], exports: [DataSource] };
  }
}

const result = (over: Partial<PagerDutyCommandResultV1> = {}): PagerDutyCommandResultV1 => ({
  resultId: randomUUID(), commandIds: [randomUUID()], organizationId: 'org-it', integrationId: INTEGRATION,
  platformIncidentId: randomUUID(), pdIncidentId: 'PABC123', action: 'update_incident', outcome: 'succeeded',
  completedAt: new Date().toISOString(), ...over,
});

async function parkedOf(key: string): Promise<{ kafka_offset: string; attempts: number }[]> {
  return dataSource.query(`SELECT "kafka_offset", "attempts" FROM "${schema}"."parked_message" WHERE "park_key" = $1 ORDER BY "seq"`, [key]);
}

describe('the consumer base parks transient failures per key (real broker and database)', () => {
  let app: INestApplication;
  let publisher: EventPublisher;
  let consumer: MessageConsumer;
  let dlq: TopicCollector<DeadLetterEnvelope>;

  beforeAll(async () => {
    const admin = new Client({ connectionString: testStack.databaseUrl });
    await admin.connect();
    await admin.query(`CREATE SCHEMA "${schema}"`);
    for (const sql of [...inboxOutboxV1Up(schema), ...parkedMessageV1Up(schema)]) await admin.query(sql);
    await admin.end();
    dataSource = await new DataSource({ type: 'postgres', url: testStack.databaseUrl, schema, entities: [InboxMessageEntity, OutboxMessageEntity] }).initialize();

    const moduleRef = await Test.createTestingModule({
      imports: [
        ServiceRuntimeModule.forRoot({ service: 'parking-it', internalToken: testStack.internalToken, gatewayToken: testStack.gatewayToken }),
        ProbeDatabaseModule.with(dataSource),
        MessagingModule.forRoot({ clientId: GROUP, brokers: testStack.kafkaBrokers, parking: { pollMs: 100, backoff: { baseMs: 100, capMs: 400 } } }),
      ],
      controllers: [ProbeConsumer],
    }).compile();
    app = moduleRef.createNestApplication(new FastifyAdapter());
    await ensureTopics(testStack.kafkaBrokers);
    dlq = await collectTopic<DeadLetterEnvelope>(testStack.kafkaBrokers, DeadLetterTopic.PagerDutyCommandResults);
    await connectKafkaConsumer(app, { brokers: testStack.kafkaBrokers, clientId: GROUP, groupId: GROUP });
    await app.init();
    publisher = app.get(EventPublisher);
    consumer = app.get(MessageConsumer);
  });

  afterAll(async () => {
    await dlq?.stop();
    await app?.close();
    await dataSource?.query(`DROP SCHEMA "${schema}" CASCADE`);
    await dataSource?.destroy();
  });

  it('given key A failing transiently for a while, then A\'s later records wait behind it, key B flows, and A applies in order once the cause clears', async () => {
    const a = randomUUID();
    const b = randomUUID();
    unavailable.add(a);
    const aRecords = [result({ platformIncidentId: a }), result({ platformIncidentId: a }), result({ platformIncidentId: a })];
    for (const r of aRecords) await publisher.publish(Topic.PagerDutyCommandResults, r);
    const bRecords = [result({ platformIncidentId: b }), result({ platformIncidentId: b })];
    for (const r of bRecords) await publisher.publish(Topic.PagerDutyCommandResults, r);

    await waitFor(() => (applied.filter((x) => x.key === b).length === 2 ? true : undefined), { what: 'key B applied while A is parked' });
    expect(applied.filter((x) => x.key === b).map((x) => x.resultId)).toEqual(bRecords.map((r) => r.resultId));
    // A's head failed (and keeps being retried); the two behind it were parked without a try.
    await waitFor(async () => ((await parkedOf(a)).length === 3 ? true : undefined), { what: 'all three A records parked' });
    await waitFor(() => ((handlerCalls.get(a) ?? 0) >= 3 ? true : undefined), { what: 'the drainer retrying A\'s head' });
    expect(applied.filter((x) => x.key === a)).toEqual([]);

    unavailable.delete(a);
    await waitFor(() => (applied.filter((x) => x.key === a).length === 3 ? true : undefined), { what: 'A applied after the cause cleared' });
    expect(applied.filter((x) => x.key === a).map((x) => x.resultId)).toEqual(aRecords.map((r) => r.resultId));
    await waitFor(async () => ((await parkedOf(a)).length === 0 ? true : undefined), { what: 'A\'s parked rows released' });
    expect(dlq.messages.filter((m) => m.value.key === a)).toEqual([]);

    // A record of A published now is not held by anything.
    const later = result({ platformIncidentId: a });
    await publisher.publish(Topic.PagerDutyCommandResults, later);
    await waitFor(() => applied.find((x) => x.resultId === later.resultId), { what: 'a later A record' });
  });

  it('given a permanent failure, then it is dead-lettered once with an id derived from its position, and the key\'s next record flows', async () => {
    const p = randomUUID();
    refused.add(p);
    const bad = result({ platformIncidentId: p });
    await publisher.publish(Topic.PagerDutyCommandResults, bad);
    const dead = await waitFor(() => dlq.messages.find((m) => m.value.key === p)?.value, { what: 'the dead letter' });
    expect(dead.errorCode).toBe('UPSTREAM_PERMANENT');
    expect(dead.retryable).toBe(false);
    expect(dead.attempts).toBe(1);
    expect(dead.deadLetterId).toBe(deadLetterIdOf(GROUP, Topic.PagerDutyCommandResults, dead.partition ?? -1, dead.offset ?? ''));
    expect(handlerCalls.get(p)).toBe(1);
    expect(await parkedOf(p)).toEqual([]);

    refused.delete(p);
    const next = result({ platformIncidentId: p });
    await publisher.publish(Topic.PagerDutyCommandResults, next);
    await waitFor(() => applied.find((x) => x.resultId === next.resultId), { what: 'the next record of the key' });
    expect(dlq.messages.filter((m) => m.value.key === p)).toHaveLength(1);
  });

  it('given a record redelivered after a crash (same partition and offset), then its dead letter has the same id and a parked record parks once', async () => {
    const k = randomUUID();
    const record = (payload: PagerDutyCommandResultV1, offset: string): RawRecord => ({
      topic: Topic.PagerDutyCommandResults, partition: 0, offset, key: k, value: JSON.stringify(payload), headers: {},
    });
    // Offsets far past anything the broker holds, so they cannot collide with real records.
    const permanentOffset = `9${Date.now()}1`;
    refused.add(k);
    const bad = result({ platformIncidentId: k });
    await consumer.process(Topic.PagerDutyCommandResults, record(bad, permanentOffset), handler, GROUP);
    await consumer.process(Topic.PagerDutyCommandResults, record(bad, permanentOffset), handler, GROUP);
    const letters = await waitFor(() => {
      const found = dlq.messages.filter((m) => m.value.key === k);
      return found.length === 2 ? found : undefined;
    }, { what: 'both deliveries dead-lettered' });
    expect(new Set(letters.map((m) => m.value.deadLetterId)).size).toBe(1);
    expect(letters[0]?.value.deadLetterId).toBe(deadLetterIdOf(GROUP, Topic.PagerDutyCommandResults, 0, permanentOffset));
    refused.delete(k);

    const t = randomUUID();
    const transientOffset = `9${Date.now()}2`;
    unavailable.add(t);
    const slow = result({ platformIncidentId: t });
    const rec: RawRecord = { topic: Topic.PagerDutyCommandResults, partition: 0, offset: transientOffset, key: t, value: JSON.stringify(slow), headers: {} };
    await consumer.process(Topic.PagerDutyCommandResults, rec, handler, GROUP);
    await consumer.process(Topic.PagerDutyCommandResults, rec, handler, GROUP);
    expect(await parkedOf(t)).toHaveLength(1);
    unavailable.delete(t);
    await waitFor(() => applied.find((x) => x.resultId === slow.resultId), { what: 'the parked record applied' });
    expect(applied.filter((x) => x.resultId === slow.resultId)).toHaveLength(1);
  });
});

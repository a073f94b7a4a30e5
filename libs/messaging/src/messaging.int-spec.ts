import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Kafka, Producer } from 'kafkajs';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppError, DeadLetterEnvelope, DeadLetterTopic, PagerDutyCommandResultV1, Topic } from '@incident-sync/contracts';
import { Inbox, inboxOutboxV1Up, outboxSetAsideV2Up, InboxMessageEntity, OutboxMessageEntity } from '@incident-sync/persistence';
import { ServiceRuntimeModule } from '@incident-sync/service-runtime';
import { collectTopic, testStack, TopicCollector, waitFor } from '@incident-sync/testing';
import { ConsumedMessage, MessageConsumer } from './message-consumer';
import { EventPublisher } from './event-publisher';
import { MessagingModule } from './messaging.module';
import { connectKafkaConsumer } from './kafka-consumer';
import { ensureTopics } from './topic-admin';

const schema = `it_messaging_${randomUUID().slice(0, 8)}`;
const received: ConsumedMessage<PagerDutyCommandResultV1>[] = [];
let dataSource: DataSource;

const result = (over: Partial<PagerDutyCommandResultV1> = {}): PagerDutyCommandResultV1 => ({
  resultId: randomUUID(), commandIds: [randomUUID()], organizationId: 'org-it', integrationId: 'int-it',
  platformIncidentId: randomUUID(), pdIncidentId: 'PABC123', action: 'update_incident', outcome: 'succeeded',
  completedAt: new Date().toISOString(), ...over,
});

/** A consumer the way services write them: validated by MessageConsumer, effects through the inbox. */
@Controller()
class ProbeConsumer {
  constructor(private readonly consumer: MessageConsumer) {}

  @EventPattern(Topic.PagerDutyCommandResults)
  handle(@Ctx() ctx: KafkaContext): Promise<void> {
    return this.consumer.consume(Topic.PagerDutyCommandResults, ctx, async (message) => {
      if (message.payload.integrationId === 'refuse-permanently') throw new AppError('UPSTREAM_PERMANENT', 'refused by the probe');
      await new Inbox(dataSource, 'probe').runOnce(message.messageId, async (em) => {
        await em.query(`INSERT INTO "${schema}"."effect" ("result_id") VALUES ($1)`, [message.payload.resultId]);
      });
      received.push(message);
    });
  }
}

describe('messaging on the real broker and database', () => {
  let app: INestApplication;
  let publisher: EventPublisher;
  let rawProducer: Producer;
  let dlq: TopicCollector<DeadLetterEnvelope>;

  beforeAll(async () => {
    const admin = new Client({ connectionString: testStack.databaseUrl });
    await admin.connect();
    await admin.query(`CREATE SCHEMA "${schema}"`);
    for (const sql of [...inboxOutboxV1Up(schema), ...outboxSetAsideV2Up(schema)]) await admin.query(sql);
    await admin.query(`CREATE TABLE "${schema}"."effect" ("result_id" uuid NOT NULL)`);
    await admin.end();
    dataSource = await new DataSource({ type: 'postgres', url: testStack.databaseUrl, schema, entities: [InboxMessageEntity, OutboxMessageEntity] }).initialize();

    const moduleRef = await Test.createTestingModule({
      imports: [
        ServiceRuntimeModule.forRoot({ service: 'messaging-it', internalToken: testStack.internalToken, gatewayToken: testStack.gatewayToken }),
        MessagingModule.forRoot({ clientId: 'messaging-it', brokers: testStack.kafkaBrokers, retry: { maxAttempts: 2, baseDelayMs: 50, maxDelayMs: 100 } }),
      ],
      controllers: [ProbeConsumer],
    }).compile();
    app = moduleRef.createNestApplication(new FastifyAdapter());
    await ensureTopics(testStack.kafkaBrokers);
    dlq = await collectTopic<DeadLetterEnvelope>(testStack.kafkaBrokers, DeadLetterTopic.PagerDutyCommandResults);
    await connectKafkaConsumer(app, { brokers: testStack.kafkaBrokers, clientId: 'messaging-it', groupId: `messaging-it-${randomUUID()}` });
    await app.init();
    publisher = app.get(EventPublisher);
    rawProducer = new Kafka({ clientId: 'messaging-it-raw', brokers: testStack.kafkaBrokers }).producer();
    await rawProducer.connect();
  });

  afterAll(async () => {
    await rawProducer?.disconnect();
    await dlq?.stop();
    await app?.close();
    await dataSource?.query(`DROP SCHEMA "${schema}" CASCADE`);
    await dataSource?.destroy();
  });

  it('given a published result, when the consumer reads it, then it arrives typed, validated and keyed by incident', async () => {
    const sent = result();
    await publisher.publish(Topic.PagerDutyCommandResults, sent);
    const got = await waitFor(() => received.find((m) => m.payload.resultId === sent.resultId), { what: 'the published result' });
    expect(got.payload).toBeInstanceOf(PagerDutyCommandResultV1);
    expect(got.payload.commandIds).toEqual(sent.commandIds);
    expect(got.key).toBe(sent.platformIncidentId);
    expect(got.messageId).toBe(sent.resultId);
  });

  it('given a malformed message, then it lands in the DLQ with its reason and the consumer keeps going', async () => {
    const key = `malformed-${randomUUID()}`;
    await rawProducer.send({ topic: Topic.PagerDutyCommandResults, messages: [{ key, value: JSON.stringify({ resultId: 'not-a-uuid', outcome: 'maybe' }) }] });
    const notJsonKey = `not-json-${randomUUID()}`;
    await rawProducer.send({ topic: Topic.PagerDutyCommandResults, messages: [{ key: notJsonKey, value: '{oops' }] });
    const after = result();
    await publisher.publish(Topic.PagerDutyCommandResults, after);

    const dead = await waitFor(() => dlq.messages.find((m) => m.value.key === key)?.value, { what: 'the dead letter' });
    expect(dead.originalTopic).toBe(Topic.PagerDutyCommandResults);
    expect(dead.errorCode).toBe('MALFORMED_MESSAGE');
    expect(dead.errorMessage).toMatch(/resultId/);
    expect(dead.errorMessage).toMatch(/outcome/);
    expect(JSON.parse(dead.payload)).toEqual({ resultId: 'not-a-uuid', outcome: 'maybe' });
    const deadNotJson = await waitFor(() => dlq.messages.find((m) => m.value.key === notJsonKey)?.value, { what: 'the non-JSON dead letter' });
    expect(deadNotJson.payload).toBe('{oops');
    expect(deadNotJson.errorMessage).toMatch(/not JSON/);
    await waitFor(() => received.find((m) => m.payload.resultId === after.resultId), { what: 'the message after the malformed ones' });
  });

  it('given a handler that fails permanently, then the message is dead-lettered with the attempt count and the next one still flows', async () => {
    const refused = result({ integrationId: 'refuse-permanently' });
    await publisher.publish(Topic.PagerDutyCommandResults, refused);
    const next = result();
    await publisher.publish(Topic.PagerDutyCommandResults, next);
    const dead = await waitFor(() => dlq.messages.find((m) => m.value.key === refused.platformIncidentId)?.value, { what: 'the refused message in the DLQ' });
    expect(dead.errorCode).toBe('UPSTREAM_PERMANENT');
    expect(dead.retryable).toBe(false);
    expect(dead.attempts).toBe(1);
    await waitFor(() => received.find((m) => m.payload.resultId === next.resultId), { what: 'the next message' });
  });

  it('given the same message delivered twice, then its effect is written once (inbox on the real database)', async () => {
    const twice = result();
    await publisher.publish(Topic.PagerDutyCommandResults, twice);
    await publisher.publish(Topic.PagerDutyCommandResults, twice);
    // Same key = same partition, handled in order: once the marker is through, both copies were.
    const marker = result({ platformIncidentId: twice.platformIncidentId });
    await publisher.publish(Topic.PagerDutyCommandResults, marker);
    await waitFor(() => received.find((m) => m.payload.resultId === marker.resultId), { what: 'the marker' });
    expect(received.filter((m) => m.payload.resultId === twice.resultId)).toHaveLength(2);
    const rows: { n: string }[] = await dataSource.query(`SELECT count(*) AS n FROM "${schema}"."effect" WHERE "result_id" = $1`, [twice.resultId]);
    expect(Number(rows[0]?.n)).toBe(1);
  });
});

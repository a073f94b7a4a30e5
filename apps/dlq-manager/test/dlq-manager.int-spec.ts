import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { createServer, Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { Kafka, logLevel, Producer } from 'kafkajs';
import { Client } from 'pg';
import { DeadLetterEnvelope, DeadLetterTopic, INTERNAL_HEADERS, MESSAGE_ID_HEADER, Topic } from '@incident-sync/contracts';
import { connectKafkaConsumer, ensureTopics } from '@incident-sync/messaging';
import { createValidationPipe, loadConfig } from '@incident-sync/service-runtime';
import { ApiClient, collectTopic, testStack, TopicCollector, uniqueId, waitFor } from '@incident-sync/testing';
import { DlqManagerEnv } from '../src/dlq-manager.env';
import { DlqManagerModule } from '../src/dlq-manager.module';

/**
 * dlq-manager in-process against the TEST stack's real PostgreSQL (own schema) and Kafka
 * (own consumer group, started at the end of every `.dlq` topic). Calls carry the headers the
 * gateway sets; integration-config is a tiny stand-in serving its internal list endpoint.
 */
const suffix = randomUUID().slice(0, 8);
const schema = `it_dlq_${suffix}`;
const groupId = `dlq-manager-it-${suffix}`;
const brokers = testStack.kafkaBrokers;

describe('dlq-manager on the real database and broker', () => {
  let app: NestFastifyApplication;
  let baseUrl: string;
  let db: Client;
  let producer: Producer;
  let fakeConfig: Server;
  const configRequests: string[] = [];
  const orgA = uniqueId('org-a');
  const orgB = uniqueId('org-b');
  const integrationA = randomUUID();

  const api = (org: string | null, admin = false): ApiClient => {
    const headers: Record<string, string> = { [INTERNAL_HEADERS.internalToken]: testStack.internalToken, [INTERNAL_HEADERS.actor]: admin ? 'admin' : 'it-key', [INTERNAL_HEADERS.isAdmin]: String(admin) };
    if (org) headers[INTERNAL_HEADERS.organizationId] = org;
    return new ApiClient(baseUrl).withHeaders(headers);
  };

  const envelope = (over: Partial<DeadLetterEnvelope> = {}): DeadLetterEnvelope => {
    const commandId = randomUUID();
    return {
      deadLetterId: randomUUID(),
      originalTopic: Topic.PagerDutyCommands,
      key: integrationA,
      payload: JSON.stringify({ commandId, integrationId: integrationA, organizationId: orgA, probe: uniqueId('probe') }),
      headers: { [MESSAGE_ID_HEADER]: commandId, traceparent: 'it' },
      errorCode: 'UPSTREAM_PERMANENT',
      errorMessage: 'refused by the test',
      retryable: false,
      attempts: 1,
      firstFailedAt: new Date().toISOString(),
      lastFailedAt: new Date().toISOString(),
      consumerGroup: 'outbound-dispatcher',
      partition: 0,
      offset: '1',
      organizationId: orgA,
      ...over,
    };
  };

  const publish = async (topic: string, value: string | DeadLetterEnvelope): Promise<void> => {
    await producer.send({ topic, messages: [{ value: typeof value === 'string' ? value : JSON.stringify(value) }] });
  };

  const stored = (id: string, client: ApiClient = api(orgA)) =>
    waitFor(async () => {
      const r = await client.get(`/api/v1/dlq/${id}`);
      return r.status === 200 ? r.body : undefined;
    }, { what: `dead letter ${id} stored`, timeoutMs: 30000 });

  beforeAll(async () => {
    db = new Client({ connectionString: testStack.databaseUrl });
    await db.connect();
    await ensureTopics(brokers);
    const kafka = new Kafka({ clientId: `it-${suffix}`, brokers, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    // Only what this file publishes: the group starts at the current end of each .dlq topic.
    for (const topic of Object.values(DeadLetterTopic)) {
      const ends = await admin.fetchTopicOffsets(topic);
      await admin.setOffsets({ groupId, topic, partitions: ends.map((p) => ({ partition: p.partition, offset: p.high })) });
    }
    await admin.disconnect();
    producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();

    // integration-config's scoped lookup: org A has integrationA (slug prod-pd); nothing else exists.
    fakeConfig = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      configRequests.push(req.url ?? '');
      if (req.headers[INTERNAL_HEADERS.internalToken] !== testStack.internalToken) return void res.writeHead(401).end();
      const scoped = /^\/internal\/v1\/organizations\/([^/]+)\/integrations\/([^/]+)$/.exec(url.pathname);
      const [org, ref] = [decodeURIComponent(scoped?.[1] ?? ''), decodeURIComponent(scoped?.[2] ?? '')];
      if (org === orgA && (ref === integrationA || ref === 'prod-pd')) {
        return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: integrationA, slug: 'prod-pd', organizationId: orgA }));
      }
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'integration not found' } }));
    });
    await new Promise<void>((resolve) => fakeConfig.listen(0, '127.0.0.1', resolve));

    const env = loadConfig(DlqManagerEnv, {
      INTERNAL_TOKEN: testStack.internalToken,
      GATEWAY_TOKEN: testStack.gatewayToken,
      DATABASE_URL: testStack.databaseUrl,
      KAFKA_BROKERS: brokers.join(','),
      INTEGRATION_CONFIG_URL: `http://127.0.0.1:${(fakeConfig.address() as AddressInfo).port}`,
      LOG_LEVEL: 'warn',
    });
    app = await NestFactory.create<NestFastifyApplication>(DlqManagerModule.forRoot(env, { schema }), new FastifyAdapter(), { logger: ['fatal', 'error', 'warn'] });
    app.useGlobalPipes(createValidationPipe());
    app.enableShutdownHooks();
    await connectKafkaConsumer(app, { brokers, clientId: 'dlq-manager', groupId });
    await app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await app?.close();
    await producer?.disconnect();
    await new Promise((resolve) => fakeConfig?.close(resolve));
    await db?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await db?.end();
    const admin = new Kafka({ clientId: `it-${suffix}`, brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  });

  it('stores an envelope published to a real DLQ topic once, even when it is delivered twice', async () => {
    const twice = envelope();
    await publish(DeadLetterTopic.PagerDutyCommands, twice);
    await publish(DeadLetterTopic.PagerDutyCommands, twice);
    // The .dlq topics have one partition: once a later marker is stored, both copies were handled.
    const marker = envelope();
    await publish(DeadLetterTopic.PagerDutyCommands, marker);
    await stored(marker.deadLetterId);

    const { rows } = await db.query(`SELECT count(*)::int AS n FROM "${schema}"."dead_letter" WHERE id = $1`, [twice.deadLetterId]);
    expect(rows[0].n).toBe(1);
    const detail = await api(orgA).get(`/api/v1/dlq/${twice.deadLetterId}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({
      id: twice.deadLetterId, organization_id: orgA, integration_id: integrationA, original_topic: Topic.PagerDutyCommands,
      message_key: integrationA, error_code: 'UPSTREAM_PERMANENT', status: 'pending', replay_count: 0, unreadable: false,
      headers: twice.headers, consumer_group: 'outbound-dispatcher', payload_json: JSON.parse(twice.payload),
    });
    expect(detail.body.payload).toBe(JSON.stringify(JSON.parse(twice.payload), null, 2));
  });

  it('lists and inspects within the organization only: another organization gets 404 (by id or slug) and an empty list', async () => {
    const mine = envelope();
    await publish(DeadLetterTopic.PagerDutyCommands, mine);
    await stored(mine.deadLetterId);

    const list = await api(orgA).get(`/api/v1/dlq?status=pending&topic=${Topic.PagerDutyCommands}&limit=200`);
    expect(list.status).toBe(200);
    const item = list.body.data.find((d: { id: string }) => d.id === mine.deadLetterId);
    expect(item).toMatchObject({ organization_id: orgA, status: 'pending', payload_preview: expect.any(String) });
    expect(item.payload).toBeUndefined();
    expect(list.body.total).toBeGreaterThanOrEqual(1);

    expect((await api(orgB).get(`/api/v1/dlq/${mine.deadLetterId}`)).status).toBe(404);
    expect((await api(orgB).post(`/api/v1/dlq/${mine.deadLetterId}/replay`)).status).toBe(404);
    expect((await api(orgB).post(`/api/v1/dlq/${mine.deadLetterId}/discard`)).status).toBe(404);
    expect(await api(orgB).get('/api/v1/dlq')).toMatchObject({ status: 200, body: { data: [], total: 0 } });
    expect((await api(orgA).get('/api/v1/dlq/not-a-uuid')).status).toBe(404);
    expect((await api(orgA).get('/api/v1/dlq?status=lost')).body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'status' });
    expect((await new ApiClient(baseUrl).get('/api/v1/dlq')).status).toBe(401);

    // The per-integration view, by id and by slug (resolved in the caller's organization).
    const byId = await api(orgA).get(`/api/v1/integrations/${integrationA}/dlq`);
    const bySlug = await api(orgA).get('/api/v1/integrations/prod-pd/dlq');
    expect(bySlug.status).toBe(200);
    expect(bySlug.body.data.map((d: { id: string }) => d.id)).toEqual(byId.body.data.map((d: { id: string }) => d.id));
    expect(bySlug.body.data.map((d: { id: string }) => d.id)).toContain(mine.deadLetterId);
    // Another organization: 404 by slug and by id, on both routes.
    for (const ref of ['prod-pd', integrationA, integrationA.toUpperCase()]) {
      expect((await api(orgB).get(`/api/v1/integrations/${ref}/dlq`)).status).toBe(404);
      expect((await api(orgB).get(`/api/v1/dlq?integration=${ref}`)).status).toBe(404);
    }
    // Not an id nor a slug: 404, and the ref never travels to integration-config (only the
    // caller's own organization's list may be read, to suggest the closest integration).
    const before = configRequests.length;
    expect((await api(orgA).get(`/api/v1/integrations/${encodeURIComponent('Prod PD')}/dlq`)).status).toBe(404);
    const asked = configRequests.slice(before);
    expect(asked.filter((url) => /prod(%20|\+| )pd/i.test(url))).toEqual([]);
    expect(asked.every((url) => url.includes(encodeURIComponent(orgA)) || url.includes(orgA))).toBe(true);

    const count = await new ApiClient(baseUrl).withHeaders({ [INTERNAL_HEADERS.internalToken]: testStack.internalToken }).get(`/internal/v1/dead-letters/count?integration_id=${integrationA}`);
    expect(count.status).toBe(200);
    expect(count.body.total).toBeGreaterThanOrEqual(count.body.pending);
    expect(count.body.pending).toBeGreaterThanOrEqual(1);
  });

  describe('replay', () => {
    let commands: TopicCollector<unknown>;
    beforeAll(async () => {
      commands = await collectTopic(brokers, Topic.PagerDutyCommands);
    });
    afterAll(async () => {
      await commands?.stop();
    });

    it('puts the original payload back on the original topic with its original key, once per replay call', async () => {
      const key = uniqueId('key');
      const dead = envelope({ key });
      await publish(DeadLetterTopic.PagerDutyCommands, dead);
      await stored(dead.deadLetterId);
      const mine = () => commands.messages.filter((m) => m.key === key);

      const first = await api(orgA).post(`/api/v1/dlq/${dead.deadLetterId}/replay`);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ status: 'replayed', replay_count: 1, last_replayed_at: expect.any(String) });
      const [replayed] = await waitFor(() => mine().length >= 1 && mine(), { what: 'the replayed message' });
      expect(replayed?.value).toEqual(JSON.parse(dead.payload));
      expect(replayed?.headers).toMatchObject({ ...dead.headers, 'dlq-replay-of': dead.deadLetterId });
      await new Promise((r) => setTimeout(r, 1500));
      expect(mine()).toHaveLength(1);

      const second = await api(orgA).post(`/api/v1/dlq/${dead.deadLetterId}/replay`);
      expect(second.body).toMatchObject({ status: 'replayed', replay_count: 2 });
      await waitFor(() => mine().length >= 2, { what: 'the second replay' });
      await new Promise((r) => setTimeout(r, 1500));
      expect(mine()).toHaveLength(2);
    });

    it('bulk-replays by ids (unknown ones are reported, not replayed) and by topic filter', async () => {
      const a = envelope({ key: uniqueId('bulk') });
      const b = envelope({ key: uniqueId('bulk') });
      await publish(DeadLetterTopic.PagerDutyCommands, a);
      await publish(DeadLetterTopic.PagerDutyCommands, b);
      await stored(a.deadLetterId);
      await stored(b.deadLetterId);
      const unknown = randomUUID();
      const byIds = await api(orgA).post('/api/v1/dlq/replay', { ids: [a.deadLetterId, unknown] });
      expect(byIds.status).toBe(200);
      expect(byIds.body).toEqual({ replayed: [a.deadLetterId], skipped: [{ id: unknown, reason: 'not found' }] });
      expect((await api(orgA).post('/api/v1/dlq/replay', {})).status).toBe(400);

      const byTopic = await api(orgA).post('/api/v1/dlq/replay', { topic: DeadLetterTopic.PagerDutyCommands, status: 'pending' });
      expect(byTopic.status).toBe(200);
      expect(byTopic.body.replayed).toContain(b.deadLetterId);
      expect(byTopic.body.replayed).not.toContain(a.deadLetterId);
      await waitFor(() => commands.messages.some((m) => m.key === b.key), { what: 'the bulk-replayed message' });
      expect((await api(orgA).get(`/api/v1/dlq/${b.deadLetterId}`)).body).toMatchObject({ status: 'replayed', replay_count: 1 });
    });
  });

  it("a deleted integration's dead letters stay reachable by its id in its organization only", async () => {
    const deleted = randomUUID();
    const commandId = randomUUID();
    const dead = envelope({ key: deleted, payload: JSON.stringify({ commandId, integrationId: deleted, organizationId: orgA }), headers: { [MESSAGE_ID_HEADER]: commandId } });
    await publish(DeadLetterTopic.PagerDutyCommands, dead);
    await stored(dead.deadLetterId);
    const mine = await api(orgA).get(`/api/v1/integrations/${deleted}/dlq`);
    expect(mine.status).toBe(200);
    expect(mine.body.data.map((d: { id: string }) => d.id)).toEqual([dead.deadLetterId]);
    expect((await api(orgA).get(`/api/v1/dlq?integration=${deleted}`)).body.total).toBe(1);
    expect((await api(orgB).get(`/api/v1/integrations/${deleted}/dlq`)).status).toBe(404);
    // An id that neither integration-config nor the organization's dead letters know is a 404 too.
    expect((await api(orgA).get(`/api/v1/integrations/${randomUUID()}/dlq`)).status).toBe(404);
  });

  it('discard changes the status, keeps the row, and a discarded dead letter is not replayed', async () => {
    const dead = envelope();
    await publish(DeadLetterTopic.PagerDutyCommands, dead);
    await stored(dead.deadLetterId);
    const discarded = await api(orgA).post(`/api/v1/dlq/${dead.deadLetterId}/discard`);
    expect(discarded.status).toBe(200);
    expect(discarded.body).toMatchObject({ status: 'discarded', discarded_at: expect.any(String), last_actor: 'it-key' });
    expect((await api(orgA).get(`/api/v1/dlq/${dead.deadLetterId}`)).body.status).toBe('discarded');
    expect((await api(orgA).post(`/api/v1/dlq/${dead.deadLetterId}/replay`)).status).toBe(409);
    const list = await api(orgA).get('/api/v1/dlq?status=discarded');
    expect(list.body.data.map((d: { id: string }) => d.id)).toContain(dead.deadLetterId);
  });

  it('stores unreadable envelopes raw (admin only) and keeps consuming', async () => {
    const probe = uniqueId('garbage');
    await publish(DeadLetterTopic.PlatformIncidentChanged, `not json ${probe}`);
    const wrongShape = { ...envelope(), attempts: 'many' };
    await publish(DeadLetterTopic.PlatformIncidentChanged, JSON.stringify(wrongShape));
    const after = envelope({ originalTopic: Topic.PlatformIncidentChanged });
    await publish(DeadLetterTopic.PlatformIncidentChanged, after);
    await stored(after.deadLetterId);

    const admin = api(null, true);
    const unreadable = await admin.get(`/api/v1/dlq?topic=${Topic.PlatformIncidentChanged}&limit=200`);
    expect(unreadable.status).toBe(200);
    const raw = unreadable.body.data.find((d: { payload_preview: string }) => d.payload_preview.includes(probe));
    expect(raw).toMatchObject({ unreadable: true, organization_id: null, error_code: 'UNREADABLE_ENVELOPE', original_topic: Topic.PlatformIncidentChanged, status: 'pending' });
    const shaped = await admin.get(`/api/v1/dlq/${wrongShape.deadLetterId}`);
    expect(shaped.body).toMatchObject({ unreadable: true, organization_id: null });
    expect(shaped.body.error_message).toContain('attempts');

    expect((await api(orgA).get(`/api/v1/dlq/${raw.id}`)).status).toBe(404);
    expect((await admin.post(`/api/v1/dlq/${raw.id}/replay`)).status).toBe(409);
    expect((await api(orgA, true).get(`/api/v1/dlq/${raw.id}`)).status).toBe(200);
  });
});

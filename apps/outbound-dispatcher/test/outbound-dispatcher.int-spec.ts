import { INestApplication } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { Kafka, logLevel, Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DeadLetterTopic, INTERNAL_HEADERS, PagerDutyCommandV1, Topic } from '@incident-sync/contracts';
import { connectKafkaConsumer, ensureTopics } from '@incident-sync/messaging';
import { bootstrapService, loadConfig } from '@incident-sync/service-runtime';
import { testStack, waitFor } from '@incident-sync/testing';
// The PagerDuty simulator (apps/pagerduty-sim), booted in-process on a random port: the test
// talks to it only over HTTP (PagerDuty REST + its /sim control API), like the product does.
// The simulator stands in for PagerDuty (an external system) and is started in-process here;
// this is the one place an app's test imports another app.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { PagerDutySimEnv } from '../../pagerduty-sim/src/pagerduty-sim.env';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { RunningSimulator, startSimulator } from '../../pagerduty-sim/src/sim-app';
import { OutboundDispatcherEnv } from '../src/outbound-dispatcher.env';
import { OutboundDispatcherModule } from '../src/outbound-dispatcher.module';
import { integrationConfig, IntegrationConfigStandIn } from '@incident-sync/testing';
import { SeenMessage, TopicWatcher } from '@incident-sync/testing';
import { SlowAnswerProxy } from '@incident-sync/testing';

const ORG = `org-${randomUUID().slice(0, 8)}`;
const schema = `outbound_dispatcher_t${randomUUID().replace(/-/g, '').slice(0, 10)}`;
const group = `outbound-dispatcher-test-${schema}`;
const SERVICE = 'PSVC001';

interface SimRequest { seq: number; time: string; method: string; path: string; query: Record<string, unknown>; headers: Record<string, string>; body: Record<string, any> | null; status: number }

describe('outbound-dispatcher (real Postgres + Kafka, PagerDuty simulator, in-process app)', () => {
  const config = new IntegrationConfigStandIn(testStack.internalToken, 503);
  const watcher = new TopicWatcher(testStack.kafkaBrokers, [Topic.PagerDutyCommandResults, DeadLetterTopic.PagerDutyCommands]);
  let sim: RunningSimulator;
  let app: INestApplication;
  let baseUrl: string;
  let producer: Producer;
  let dispatcherEnv: OutboundDispatcherEnv;
  const bootDispatcher = (): Promise<INestApplication> => bootstrapService({
    name: 'outbound-dispatcher', module: OutboundDispatcherModule.forRoot(dispatcherEnv), host: '127.0.0.1', port: 0, logLevel: 'warn',
    beforeListen: (nest) => connectKafkaConsumer(nest, { brokers: testStack.kafkaBrokers, clientId: 'outbound-dispatcher', groupId: group }),
  });

  const simCall = async (method: string, path: string, body?: unknown): Promise<any> => {
    const headers: Record<string, string> = { accept: 'application/vnd.pagerduty+json;version=2', authorization: 'Token token=sim-account-token' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${sim.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return text ? JSON.parse(text) : null;
  };
  const simRequests = async (): Promise<SimRequest[]> => ((await simCall('GET', '/sim/requests')) as { requests: SimRequest[] }).requests;
  const simIncident = async (title: string): Promise<string> => ((await simCall('POST', '/sim/incidents', { title, service_id: SERVICE })) as { incident: { id: string } }).incident.id;

  const slugOf = (integrationId: string): string => `pd-${integrationId.slice(0, 8)}`;
  const addIntegration = (overrides: Partial<Parameters<typeof integrationConfig>[0]> = {}): string => {
    const id = randomUUID();
    config.put(integrationConfig({ id, slug: slugOf(id), organizationId: ORG, baseUrl: sim.url, token: 'sim-account-token', fromEmail: 'incident-sync-bot@example.com', rateLimitPerMinute: 960, backoffMultiplier: 2, ...overrides }));
    return id;
  };
  const command = (integrationId: string, platformIncidentId: string, action: PagerDutyCommandV1['action'], extra: Partial<PagerDutyCommandV1> = {}): PagerDutyCommandV1 => ({
    commandId: randomUUID(), organizationId: ORG, integrationId, platformIncidentId, pdIncidentId: null, action, issuedAt: new Date().toISOString(), ...extra,
  });
  const send = async (...commands: PagerDutyCommandV1[]): Promise<void> => {
    await producer.send({ topic: Topic.PagerDutyCommands, acks: -1, messages: commands.map((c) => ({ key: c.integrationId, value: JSON.stringify(c), headers: { 'message-id': c.commandId } })) });
  };
  // A running test stack has its own dispatcher reading the same topic; it does not know these
  // integrations and dead-letters their commands as INTEGRATION_NOT_FOUND. Only this app's output counts.
  const fromStack = (m: SeenMessage): boolean => (m.value.error as { code?: string } | undefined)?.code === 'INTEGRATION_NOT_FOUND';
  const results = (integrationId: string) => watcher.where((m) => m.topic === Topic.PagerDutyCommandResults && m.value.integrationId === integrationId && !fromStack(m));
  const settled = (integrationId: string): Set<string> => new Set(results(integrationId).flatMap((m) => m.value.commandIds as string[]));

  beforeAll(async () => {
    await ensureTopics(testStack.kafkaBrokers);
    const kafka = new Kafka({ clientId: 'dispatcher-test', brokers: testStack.kafkaBrokers, logLevel: logLevel.NOTHING });
    // The dispatcher's throw-away group starts at the end of the shared topic, not its history.
    const admin = kafka.admin();
    await admin.connect();
    for (const topic of [Topic.PagerDutyCommands, Topic.IntegrationConfigChanged]) await admin.resetOffsets({ groupId: group, topic, earliest: false });
    await admin.disconnect();
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    sim = await startSimulator(plainToInstance(PagerDutySimEnv, { PORT: 0, LOG_LEVEL: 'error' }, { exposeDefaultValues: true, enableImplicitConversion: true }));
    const configUrl = await config.start();
    await watcher.start();
    dispatcherEnv = loadConfig(OutboundDispatcherEnv, {
      PORT: '18985', INTERNAL_TOKEN: testStack.internalToken, GATEWAY_TOKEN: testStack.gatewayToken, DATABASE_URL: testStack.databaseUrl, KAFKA_BROKERS: testStack.kafkaBrokers.join(','), LOG_LEVEL: 'warn',
      INTEGRATION_CONFIG_URL: configUrl, DATABASE_SCHEMA: schema, KAFKA_GROUP_ID: group,
      DISPATCH_BACKOFF_BASE_MS: '50', DISPATCH_BACKOFF_MAX_MS: '400', DISPATCH_REQUEST_TIMEOUT_MS: '700', DISPATCH_POLL_MS: '200',
    });
    app = await bootDispatcher();
    baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    await app?.close();
    await sim?.app.close();
    await watcher.stop();
    await producer?.disconnect();
    await config.stop();
    const pg = new Client({ connectionString: testStack.databaseUrl });
    await pg.connect();
    await pg.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pg.end();
  });

  beforeEach(async () => {
    await simCall('DELETE', '/sim/faults');
    await simCall('PUT', '/sim/rate_limits', { per_window: 960, create_per_window: 300, window_ms: 60000 });
  });

  it('creates with From, the v2 Accept header and incident_key, then sends later updates to the new PagerDuty id', async () => {
    const integrationId = addIntegration();
    const platformId = randomUUID();
    const create = command(integrationId, platformId, 'create_incident', { create: { title: 'Checkout down', serviceId: SERVICE, incidentKey: platformId, urgency: 'high' } });
    const update = command(integrationId, platformId, 'update_incident', { update: { status: 'acknowledged' } });
    const note = command(integrationId, platformId, 'add_note', { note: { content: 'looking into it' } });
    await send(create, update, note);
    await waitFor(() => settled(integrationId).size === 3, { what: 'three settled commands' });
    const created = results(integrationId).find((m) => m.value.action === 'create_incident')!;
    expect(created.key).toBe(platformId);
    expect(created.value).toMatchObject({ outcome: 'succeeded', written: { title: 'Checkout down', urgency: 'high' }, incident: { id: expect.any(String), status: 'triggered' } });
    const pdId = created.value.pdIncidentId as string;
    const post = (await simRequests()).find((r) => r.method === 'POST' && r.path === '/incidents' && r.body?.incident?.incident_key === platformId)!;
    expect(post.headers.from).toBe('incident-sync-bot@example.com');
    expect(post.headers.accept).toBe('application/vnd.pagerduty+json;version=2');
    expect(post.body).toEqual({ incident: { type: 'incident', title: 'Checkout down', service: { id: SERVICE, type: 'service_reference' }, incident_key: platformId, urgency: 'high' } });
    const put = (await simRequests()).find((r) => r.method === 'PUT' && r.path === `/incidents/${pdId}`)!;
    expect(put.body).toEqual({ incident: { type: 'incident_reference', status: 'acknowledged' } });
    expect((await simCall('GET', `/incidents/${pdId}`)).incident.status).toBe('acknowledged');
    expect(results(integrationId).every((m) => m.value.outcome === 'succeeded')).toBe(true);
    // The same create sent again (a new command id) answers with the incident we created.
    const again = command(integrationId, platformId, 'create_incident', { create: { title: 'Checkout down', serviceId: SERVICE, incidentKey: platformId } });
    await send(again);
    await waitFor(() => settled(integrationId).has(again.commandId), { what: 'the repeated create' });
    expect(results(integrationId).find((m) => (m.value.commandIds as string[]).includes(again.commandId))!.value).toMatchObject({ outcome: 'succeeded', pdIncidentId: pdId });
    expect((await simRequests()).filter((r) => r.method === 'POST' && r.path === '/incidents' && r.body?.incident?.incident_key === platformId)).toHaveLength(1);
  });

  it('a burst of 20 updates to one incident costs far fewer requests (coalesced while waiting for a token)', async () => {
    // 6/min: a burst of one token, the next one 10 s later; everything arriving meanwhile merges.
    const integrationId = addIntegration({ rateLimitPerMinute: 6 });
    const pdId = await simIncident('burst target');
    const platformId = randomUUID();
    const before = (await simRequests()).length;
    const burst = Array.from({ length: 20 }, (_, i) => command(integrationId, platformId, 'update_incident', { pdIncidentId: pdId, update: i % 2 ? { title: `edit ${i}` } : { urgency: i < 18 ? 'high' : 'low' } }));
    await send(...burst);
    await waitFor(() => settled(integrationId).size === 20, { what: 'all 20 updates settled', timeoutMs: 30000 });
    const puts = (await simRequests()).slice(before).filter((r) => r.path === `/incidents/${pdId}`);
    expect(puts.length).toBeLessThanOrEqual(3);
    const incident = (await simCall('GET', `/incidents/${pdId}`)).incident;
    expect(incident).toMatchObject({ title: 'edit 19', urgency: 'low' });
  }, 45000);

  it('never exceeds the configured rate: burst bounded, then rate/60 per second, and PagerDuty never answers 429', async () => {
    const integrationId = addIntegration({ rateLimitPerMinute: 60 });
    // PagerDuty's side enforces exactly the configured limit: any excess would be a 429.
    await simCall('PUT', '/sim/rate_limits', { per_window: 60, create_per_window: 60, window_ms: 60000 });
    const pdIds = await Promise.all(Array.from({ length: 16 }, (_, i) => simIncident(`rate ${i}`)));
    const before = (await simRequests()).length;
    await send(...pdIds.map((pdId) => command(integrationId, randomUUID(), 'add_note', { pdIncidentId: pdId, note: { content: 'note' } })));
    await waitFor(() => settled(integrationId).size === 16, { what: '16 notes', timeoutMs: 30000 });
    const notes = (await simRequests()).slice(before).filter((r) => r.path.endsWith('/notes'));
    expect(notes).toHaveLength(16);
    expect(notes.filter((r) => r.status === 429)).toHaveLength(0);
    const times = notes.map((r) => Date.parse(r.time)).sort((a, b) => a - b);
    // Capacity max(1, 60/6) = 10, then one per second: in any span of t ms at most 10 + t/1000 (+1 for clock granularity).
    for (let i = 0; i < times.length; i += 1) {
      for (let j = i; j < times.length; j += 1) expect(j - i + 1).toBeLessThanOrEqual(10 + Math.floor((times[j]! - times[i]!) / 1000) + 1);
    }
    expect(times[times.length - 1]! - times[0]!).toBeGreaterThanOrEqual(4000);
  }, 45000);

  it('a 429 storm and 5xx errors delay but never lose a command', async () => {
    const integrationId = addIntegration();
    await simCall('PUT', '/sim/rate_limits', { per_window: 960, create_per_window: 300, window_ms: 1000 });
    await simCall('PUT', '/sim/faults', { storm_requests: 4 });
    const pdIds = await Promise.all(Array.from({ length: 4 }, (_, i) => simIncident(`storm ${i}`)));
    await send(...pdIds.map((pdId, i) => command(integrationId, randomUUID(), 'update_incident', { pdIncidentId: pdId, update: { title: `after storm ${i}` } })));
    await waitFor(() => settled(integrationId).size === 4, { what: 'updates after the 429 storm', timeoutMs: 30000 });
    await simCall('PUT', '/sim/faults', { rest_error_rate: 0.5, rest_error_status: 503 });
    await send(...pdIds.map((pdId, i) => command(integrationId, randomUUID(), 'add_note', { pdIncidentId: pdId, note: { content: `through 5xx ${i}` } })));
    await waitFor(() => settled(integrationId).size === 8, { what: 'notes through 503s', timeoutMs: 30000 });
    await simCall('DELETE', '/sim/faults');
    expect(results(integrationId).every((m) => m.value.outcome === 'succeeded')).toBe(true);
    for (const [i, pdId] of pdIds.entries()) expect(await simCall('GET', `/incidents/${pdId}`)).toMatchObject({ incident: { title: `after storm ${i}` } });
    const status = await fetch(`${baseUrl}/api/v1/integrations/${integrationId}/dispatcher/status`, { headers: { [INTERNAL_HEADERS.internalToken]: testStack.internalToken, [INTERNAL_HEADERS.organizationId]: ORG } });
    const view = (await status.json()) as Record<string, unknown>;
    expect(view).toMatchObject({ integration_id: integrationId, queue_depth: 0, rate_limit_per_minute: 960, oldest_pending_at: null, dead_lettered_count: 0 });
    expect(view.rate_limited_429_count as number).toBeGreaterThanOrEqual(1);
    expect(typeof view.last_success_at).toBe('string');
    expect(typeof view.tokens_available).toBe('number');
    // Another organization gets 404 by id and by slug, even with the integration in this instance's cache.
    for (const ref of [integrationId, slugOf(integrationId)]) {
      const other = await fetch(`${baseUrl}/api/v1/integrations/${ref}/dispatcher/status`, { headers: { [INTERNAL_HEADERS.internalToken]: testStack.internalToken, [INTERNAL_HEADERS.organizationId]: 'another-org' } });
      expect(other.status).toBe(404);
    }
    const bySlug = await fetch(`${baseUrl}/api/v1/integrations/${slugOf(integrationId)}/dispatcher/status`, { headers: { [INTERNAL_HEADERS.internalToken]: testStack.internalToken, [INTERNAL_HEADERS.organizationId]: ORG } });
    expect(((await bySlug.json()) as { integration_id: string }).integration_id).toBe(integrationId);
  }, 60000);

  it('a 400 from PagerDuty dead-letters the command with PagerDuty\'s error body and reports a failed result', async () => {
    const integrationId = addIntegration();
    const pdId = await simIncident('already resolved');
    await simCall('POST', `/sim/incidents/${pdId}/resolve`, {});
    const rejected = command(integrationId, randomUUID(), 'update_incident', { pdIncidentId: pdId, update: { urgency: 'low' } });
    await send(rejected);
    const [dead] = await waitFor(() => {
      const found = watcher.where((m) => m.topic === DeadLetterTopic.PagerDutyCommands && m.value.consumerGroup === group && JSON.parse(m.value.payload as string).commandId === rejected.commandId);
      return found.length > 0 && found;
    }, { what: 'the dead letter' });
    expect(dead!.key).toBe(integrationId);
    expect(dead!.value).toMatchObject({ originalTopic: Topic.PagerDutyCommands, errorCode: 'PAGERDUTY_REJECTED', retryable: false, attempts: 1, organizationId: ORG, consumerGroup: group });
    expect(JSON.parse(dead!.value.payload as string)).toEqual(rejected);
    expect(dead!.value.errorMessage).toMatch(/400/);
    expect(dead!.value.errorMessage).toMatch(/PagerDuty error body: \{"error":\{/);
    const [failed] = await waitFor(() => results(integrationId).length > 0 && results(integrationId), { what: 'the failed result' });
    expect(failed!.value).toMatchObject({ outcome: 'failed', commandIds: [rejected.commandId], error: { code: 'PAGERDUTY_REJECTED', httpStatus: 400, body: { error: expect.any(Object) } } });
  });

  it('a create whose answer timed out is looked up by incident_key before a retry: exactly one PagerDuty incident', async () => {
    // PagerDuty creates the incident, but its answer arrives after our 700 ms timeout.
    const proxy = new SlowAnswerProxy(sim.url, (method, path) => method === 'POST' && path === '/incidents', 1500);
    const proxyUrl = await proxy.start();
    try {
      const integrationId = addIntegration({ baseUrl: proxyUrl });
      const platformId = randomUUID();
      await send(command(integrationId, platformId, 'create_incident', { create: { title: 'Slow create', serviceId: SERVICE, incidentKey: platformId } }));
      const [result] = await waitFor(() => results(integrationId).length > 0 && results(integrationId), { what: 'the create result', timeoutMs: 20000 });
      expect(result!.value.outcome).toBe('succeeded');
      expect(proxy.slowed).toBe(1);
      const listed = await simCall('GET', `/incidents?incident_key=${platformId}&date_range=all`);
      const incidents = (listed as { incidents: { id: string }[] }).incidents;
      expect({ listed, n: incidents?.length }).toMatchObject({ n: 1 });
      expect(result!.value.pdIncidentId).toBe(incidents[0]!.id);
      const requests = await simRequests();
      expect(requests.filter((r) => r.method === 'POST' && r.path === '/incidents' && r.body?.incident?.incident_key === platformId)).toHaveLength(1);
      expect(requests.filter((r) => r.method === 'GET' && r.path === '/incidents' && r.query.incident_key === platformId && r.query.date_range === 'all').length).toBeGreaterThanOrEqual(1);
    } finally {
      await proxy.stop();
    }
  }, 45000);

  // An unrelated incident that grouped child alerts has no incident_key, yet PagerDuty lists it
  // for `?incident_key=K` when one of its alerts has alert_key K: the recovery must never link it.
  const groupedIncident = async (alertKey: string): Promise<string> => ((await simCall('POST', '/sim/incidents', { title: 'grouped alerts', service_id: SERVICE, alert_keys: [alertKey] })) as { incident: { id: string } }).incident.id;
  const createdWith = async (key: string): Promise<{ id: string; incident_key?: string }[]> => ((await simCall('GET', `/incidents?incident_key=${key}&date_range=all`)) as { incidents: { id: string; incident_key?: string }[] }).incidents;

  it('create recovery after a slow answer links our incident, not an older keyless one listed first', async () => {
    const proxy = new SlowAnswerProxy(sim.url, (method, path) => method === 'POST' && path === '/incidents', 1500);
    const proxyUrl = await proxy.start();
    try {
      const integrationId = addIntegration({ baseUrl: proxyUrl });
      const platformId = randomUUID();
      const grouped = await groupedIncident(platformId);
      await send(command(integrationId, platformId, 'create_incident', { create: { title: 'Slow create', serviceId: SERVICE, incidentKey: platformId } }));
      const [result] = await waitFor(() => results(integrationId).length > 0 && results(integrationId), { what: 'the create result', timeoutMs: 20000 });
      expect(proxy.slowed).toBe(1);
      const listed = await createdWith(platformId);
      expect(listed.map((i) => i.id)[0]).toBe(grouped);
      const ours = listed.filter((i) => i.incident_key === platformId);
      expect(ours).toHaveLength(1);
      expect(result!.value).toMatchObject({ outcome: 'succeeded', pdIncidentId: ours[0]!.id });
    } finally {
      await proxy.stop();
    }
  }, 45000);

  it('a create that failed with a 503 is created after the lookup finds only an unrelated keyless incident', async () => {
    const integrationId = addIntegration();
    const platformId = randomUUID();
    const grouped = await groupedIncident(platformId);
    await simCall('PUT', '/sim/faults', { rest_error_rate: 1, rest_error_status: 503, path: '^/incidents$', method: 'POST' });
    const since = ((await simCall('GET', '/sim/requests')) as { last_seq: number }).last_seq;
    await send(command(integrationId, platformId, 'create_incident', { create: { title: 'After a 503', serviceId: SERVICE, incidentKey: platformId } }));
    // A faulted request is refused before its body is read: the log has its status, not its body.
    await waitFor(async () => (await simRequests()).some((r) => r.seq > since && r.method === 'POST' && r.path === '/incidents' && r.status === 503), { what: 'the refused create' });
    await simCall('DELETE', '/sim/faults');
    const [result] = await waitFor(() => results(integrationId).length > 0 && results(integrationId), { what: 'the create result', timeoutMs: 20000 });
    const requests = await simRequests();
    // The retry looked the key up first (outcome unknown), found only the grouped incident, and created ours.
    expect(requests.filter((r) => r.method === 'GET' && r.path === '/incidents' && r.query.incident_key === platformId).length).toBeGreaterThanOrEqual(1);
    const ours = (await createdWith(platformId)).filter((i) => i.incident_key === platformId);
    expect(ours).toHaveLength(1);
    expect(result!.value.outcome).toBe('succeeded');
    expect(result!.value.pdIncidentId).not.toBe(grouped);
    expect(result!.value.pdIncidentId).toBe(ours[0]!.id);
  }, 45000);

  it('commands stored before a shutdown are sent by the next instance (the queue is in Postgres)', async () => {
    const integrationId = addIntegration({ enabled: false });
    const pdId = await simIncident('survives a restart');
    const queued = [command(integrationId, randomUUID(), 'add_note', { pdIncidentId: pdId, note: { content: 'stored, not yet sent' } }), command(integrationId, randomUUID(), 'update_incident', { pdIncidentId: pdId, update: { urgency: 'low' } })];
    await send(...queued);
    const pending = async (): Promise<number> => {
      const pg = new Client({ connectionString: testStack.databaseUrl });
      await pg.connect();
      try {
        return ((await pg.query(`SELECT count(*)::int AS n FROM "${schema}"."pending_command" WHERE integration_id = $1 AND status = 'pending'`, [integrationId])).rows[0] as { n: number }).n;
      } finally {
        await pg.end();
      }
    };
    // A paused (disabled) integration keeps its commands queued.
    await waitFor(async () => (await pending()) === 2, { what: 'two stored commands' });
    await app.close();
    config.put({ ...config.integrations.get(integrationId)!, enabled: true });
    app = await bootDispatcher();
    baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    await waitFor(() => settled(integrationId).size === 2, { what: 'the queue drained by the new instance', timeoutMs: 20000 });
    expect(await pending()).toBe(0);
    const incident = (await simCall('GET', `/incidents/${pdId}`)).incident;
    expect(incident.urgency).toBe('low');
  }, 45000);
});

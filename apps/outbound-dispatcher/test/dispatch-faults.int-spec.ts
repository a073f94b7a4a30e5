import { INestApplication } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { Kafka, logLevel, Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DeadLetterTopic, INTERNAL_HEADERS, PagerDutyCommandV1, Topic } from '@incident-sync/contracts';
import { connectKafkaConsumer, ensureTopics } from '@incident-sync/messaging';
import { bootstrapService, loadConfig } from '@incident-sync/service-runtime';
import { integrationConfig, IntegrationConfigStandIn, SeenMessage, testStack, TopicWatcher, waitFor } from '@incident-sync/testing';
// The PagerDuty simulator stands in for an external system and is booted in-process (see outbound-dispatcher.int-spec.ts).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { PagerDutySimEnv } from '../../pagerduty-sim/src/pagerduty-sim.env';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { RunningSimulator, startSimulator } from '../../pagerduty-sim/src/sim-app';
import { DispatchRepository, StaleFenceError } from '../src/dispatch.repository';
import { OutboundDispatcherEnv } from '../src/outbound-dispatcher.env';
import { OutboundDispatcherModule } from '../src/outbound-dispatcher.module';

const ORG = `org-${randomUUID().slice(0, 8)}`;
const schema = `outbound_dispatcher_f${randomUUID().replace(/-/g, '').slice(0, 10)}`;
const group = `outbound-dispatcher-faults-${schema}`;
const SERVICE = 'PSVC001';

interface SimRequest { seq: number; method: string; path: string; body: Record<string, any> | null; status: number }

/**
 * Issue #13 items 3 and 6 against real Postgres and Kafka and the simulator: TWO dispatcher
 * instances (two Nest apps, one consumer group, one schema) share the work.
 */
describe('outbound-dispatcher under faults (two instances, fenced leases, parking)', () => {
  const config = new IntegrationConfigStandIn(testStack.internalToken, 503);
  const watcher = new TopicWatcher(testStack.kafkaBrokers, [Topic.PagerDutyCommandResults, DeadLetterTopic.PagerDutyCommands]);
  let sim: RunningSimulator;
  const apps: INestApplication[] = [];
  let producer: Producer;
  let pg: Client;

  const simCall = async (method: string, path: string, body?: unknown): Promise<any> => {
    const headers: Record<string, string> = { accept: 'application/vnd.pagerduty+json;version=2', authorization: 'Token token=sim-account-token' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${sim.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return text ? JSON.parse(text) : null;
  };
  const simRequests = async (): Promise<SimRequest[]> => ((await simCall('GET', '/sim/requests')) as { requests: SimRequest[] }).requests;
  const simIncident = async (title: string): Promise<string> => ((await simCall('POST', '/sim/incidents', { title, service_id: SERVICE })) as { incident: { id: string } }).incident.id;
  const addIntegration = (overrides: Partial<Parameters<typeof integrationConfig>[0]> = {}): string => {
    const id = randomUUID();
    config.put(integrationConfig({ id, slug: `${id}-slug`, organizationId: ORG, baseUrl: sim.url, token: 'sim-account-token', fromEmail: 'incident-sync-bot@example.com', rateLimitPerMinute: 960, backoffMultiplier: 2, ...overrides }));
    return id;
  };
  // One platform incident per PagerDuty incident (and integration): its commands form one ordered group.
  const platformIds = new Map<string, string>();
  const platformIdOf = (integrationId: string, pdIncidentId: string): string => {
    const key = `${integrationId}/${pdIncidentId}`;
    if (!platformIds.has(key)) platformIds.set(key, randomUUID());
    return platformIds.get(key)!;
  };
  const command = (integrationId: string, pdIncidentId: string, action: PagerDutyCommandV1['action'], extra: Partial<PagerDutyCommandV1> = {}): PagerDutyCommandV1 => ({
    commandId: randomUUID(), organizationId: ORG, integrationId, platformIncidentId: platformIdOf(integrationId, pdIncidentId), pdIncidentId, action, issuedAt: new Date().toISOString(), ...extra,
  });
  const send = async (...commands: PagerDutyCommandV1[]): Promise<void> => {
    await producer.send({ topic: Topic.PagerDutyCommands, acks: -1, messages: commands.map((c) => ({ key: c.integrationId, value: JSON.stringify(c), headers: { 'message-id': c.commandId } })) });
  };
  const fromStack = (m: SeenMessage): boolean => (m.value.error as { code?: string } | undefined)?.code === 'INTEGRATION_NOT_FOUND';
  const results = (integrationId: string): SeenMessage[] => watcher.where((m) => m.topic === Topic.PagerDutyCommandResults && m.value.integrationId === integrationId && !fromStack(m));
  const succeeded = (integrationId: string): Set<string> => new Set(results(integrationId).filter((m) => m.value.outcome === 'succeeded').flatMap((m) => m.value.commandIds as string[]));
  const deadLetters = (integrationId: string): SeenMessage[] => watcher.where((m) => m.topic === DeadLetterTopic.PagerDutyCommands && m.value.consumerGroup === group && m.value.key === integrationId);
  const status = async (integrationId: string): Promise<Record<string, any>> => {
    const response = await fetch(`${(await apps[0]!.getUrl()).replace('[::1]', '127.0.0.1')}/api/v1/integrations/${integrationId}/dispatcher/status`, {
      headers: { [INTERNAL_HEADERS.internalToken]: testStack.internalToken, [INTERNAL_HEADERS.organizationId]: ORG },
    });
    return (await response.json()) as Record<string, any>;
  };

  beforeAll(async () => {
    await ensureTopics(testStack.kafkaBrokers);
    const kafka = new Kafka({ clientId: 'dispatcher-faults-test', brokers: testStack.kafkaBrokers, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    for (const topic of [Topic.PagerDutyCommands, Topic.IntegrationConfigChanged]) await admin.resetOffsets({ groupId: group, topic, earliest: false });
    await admin.disconnect();
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    sim = await startSimulator(plainToInstance(PagerDutySimEnv, { PORT: 0, LOG_LEVEL: 'error', SIM_ALLOW_TOKENS: 'tok-a,tok-b' }, { exposeDefaultValues: true, enableImplicitConversion: true }));
    const configUrl = await config.start();
    await watcher.start();
    const env = loadConfig(OutboundDispatcherEnv, {
      PORT: '18986', INTERNAL_TOKEN: testStack.internalToken, GATEWAY_TOKEN: testStack.gatewayToken, DATABASE_URL: testStack.databaseUrl, KAFKA_BROKERS: testStack.kafkaBrokers.join(','), LOG_LEVEL: 'warn',
      INTEGRATION_CONFIG_URL: configUrl, DATABASE_SCHEMA: schema, KAFKA_GROUP_ID: group,
      DISPATCH_BACKOFF_BASE_MS: '50', DISPATCH_BACKOFF_MAX_MS: '400', DISPATCH_REQUEST_TIMEOUT_MS: '2000', DISPATCH_POLL_MS: '100', DISPATCH_LEASE_MS: '1000',
    });
    // Two replicas: one group, one schema, one simulator. The second boots after the first migrated.
    for (let i = 0; i < 2; i += 1) {
      apps.push(await bootstrapService({
        name: 'outbound-dispatcher', module: OutboundDispatcherModule.forRoot(env), host: '127.0.0.1', port: 0, logLevel: 'warn',
        beforeListen: (nest) => connectKafkaConsumer(nest, { brokers: testStack.kafkaBrokers, clientId: 'outbound-dispatcher', groupId: group }),
      }));
    }
    pg = new Client({ connectionString: testStack.databaseUrl });
    await pg.connect();
  }, 300000);

  afterAll(async () => {
    for (const app of apps) await app.close();
    await sim?.app.close();
    await watcher.stop();
    await producer?.disconnect();
    await config.stop();
    await pg?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pg?.end();
  });

  beforeEach(async () => {
    await simCall('DELETE', '/sim/faults');
    await simCall('PUT', '/sim/rate_limits', { per_window: 960, create_per_window: 300, window_ms: 60000 });
  });

  it('forced lease handovers between two instances: every note reaches PagerDuty exactly once', async () => {
    // 120/min: a burst of 20, then 2 per second, so workers spend most of the run waiting for
    // tokens with loaded work — where an unfenced worker whose lease moved on sends anyway.
    const integrationId = addIntegration({ rateLimitPerMinute: 120 });
    const pdIds = await Promise.all(Array.from({ length: 4 }, (_, i) => simIncident(`fenced ${i}`)));
    const notes = Array.from({ length: 40 }, (_, i) => command(integrationId, pdIds[i % 4]!, 'add_note', { note: { content: `fenced note ${integrationId} #${i}` } }));
    await send(...notes);
    // The lease is taken from its holder every 400 ms (its owner renamed and expired), so the
    // other instance (or the same one, with a new token) takes over mid-work.
    let handovers = 0;
    const stealer = setInterval(() => {
      pg.query(`UPDATE "${schema}"."integration_lease" SET "owner" = 'stolen-by-test', "expires_at" = now() - interval '1 millisecond' WHERE "integration_id" = $1 AND "owner" <> 'stolen-by-test'`, [integrationId])
        .then((r) => { handovers += r.rowCount ?? 0; }, () => undefined);
    }, 400);
    try {
      await waitFor(() => succeeded(integrationId).size === notes.length, { what: 'all 40 notes settled', timeoutMs: 90000, intervalMs: 250 });
    } finally {
      clearInterval(stealer);
    }
    const sent = (await simRequests()).filter((r) => r.method === 'POST' && r.path.endsWith('/notes') && String(r.body?.note?.content ?? '').startsWith(`fenced note ${integrationId} `));
    const perNote = new Map<string, number>();
    for (const r of sent) perNote.set(r.body!.note.content as string, (perNote.get(r.body!.note.content as string) ?? 0) + 1);
    expect([...perNote.values()].filter((n) => n > 1)).toEqual([]);
    expect(perNote.size).toBe(notes.length);
    const token = Number((await pg.query(`SELECT "fencing_token" FROM "${schema}"."integration_lease" WHERE "integration_id" = $1`, [integrationId])).rows[0].fencing_token);
    expect(handovers).toBeGreaterThanOrEqual(3);
    expect(token).toBeGreaterThanOrEqual(4);
    expect(deadLetters(integrationId)).toHaveLength(0);
  }, 300000);

  it('a settle under a stale fencing token changes nothing', async () => {
    const integrationId = addIntegration({ enabled: false });
    const repository = apps[0]!.get(DispatchRepository);
    const c = command(integrationId, 'PNONE', 'add_note', { note: { content: 'never sent' } });
    const intakeId = c.commandId;
    expect(await repository.insertCommand({ intakeId, replayOf: null }, c, JSON.stringify(c), {}, null, null)).toBe(true);
    await pg.query(`INSERT INTO "${schema}"."integration_lease" ("integration_id", "owner", "expires_at", "fencing_token") VALUES ($1, 'holder', now() + interval '1 minute', 7)
      ON CONFLICT ("integration_id") DO UPDATE SET "owner" = 'holder', "expires_at" = now() + interval '1 minute', "fencing_token" = 7`, [integrationId]);
    // An old holder (token 6) can neither claim nor settle; the current one (7) can claim.
    expect(await repository.claim(integrationId, 'old-holder', '6', [intakeId], 5000, 5000)).toBe(false);
    expect(await repository.claim(integrationId, 'holder', '7', [intakeId], 5000, 5000)).toBe(true);
    await expect(repository.transaction((em) => repository.settle(em, [intakeId], '6', 'done', randomUUID(), null))).rejects.toBeInstanceOf(StaleFenceError);
    await repository.scheduleRetry([intakeId], '6', new Date(Date.now() + 60000), 'stale', { createOutcomeUnknown: false, countAttempt: true });
    const row = (await pg.query(`SELECT "status", "attempts", "last_error", "claim_token" FROM "${schema}"."pending_command" WHERE "intake_id" = $1`, [intakeId])).rows[0];
    expect(row).toEqual({ status: 'pending', attempts: 0, last_error: null, claim_token: '7' });
  });

  it('a 5xx storm on one incident parks its commands (never a dead letter) while the integration\'s other incidents flow; all arrive once it ends', async () => {
    const integrationId = addIntegration();
    const [stormy, calm] = [await simIncident('stormy'), await simIncident('calm')];
    await simCall('PUT', '/sim/faults', { rest_error_rate: 1, rest_error_status: 503, path: `^/incidents/${stormy}(/|$)` });
    const held = [
      command(integrationId, stormy, 'update_incident', { update: { title: 'storm 1' } }),
      command(integrationId, stormy, 'add_note', { note: { content: 'during the storm' } }),
    ];
    await send(...held);
    await waitFor(async () => (await status(integrationId)).parked_count >= 1, { what: 'the stormy incident parked', timeoutMs: 30000 });
    const other = command(integrationId, calm, 'update_incident', { update: { title: 'calm still flows' } });
    await send(other);
    await waitFor(() => succeeded(integrationId).has(other.commandId), { what: 'the other incident written during the storm', timeoutMs: 30000 });
    // The storm is still on (every write to the stormy incident answers 503), yet nothing was dead-lettered.
    expect((await simCall('GET', '/sim/faults')).faults.rest_error_status).toBe(503);
    const during = await status(integrationId);
    expect(during).toMatchObject({ dead_lettered_count: 0 });
    expect(during.parked_count + during.held_count).toBeGreaterThanOrEqual(1);
    expect(during.oldest_parked_age_seconds).toBeGreaterThanOrEqual(0);
    expect(typeof during.oldest_parked_at).toBe('string');
    expect(succeeded(integrationId).has(held[0]!.commandId)).toBe(false);
    await simCall('DELETE', '/sim/faults');
    await waitFor(() => held.every((c) => succeeded(integrationId).has(c.commandId)), { what: 'the parked commands delivered after the storm', timeoutMs: 30000 });
    expect((await simCall('GET', `/incidents/${stormy}`)).incident.title).toBe('storm 1');
    expect(deadLetters(integrationId)).toHaveLength(0);
    expect(await status(integrationId)).toMatchObject({ parked_count: 0, held_count: 0, oldest_parked_at: null, queue_depth: 0 });
    const failedWrites = (await simRequests()).filter((r) => r.path === `/incidents/${stormy}` && r.method === 'PUT' && r.status === 503);
    expect(failedWrites.length).toBeGreaterThanOrEqual(1);
  }, 90000);

  it('a 429 storm with ratelimit-reset pauses only that integration (per token): a second integration keeps flowing; nothing is dead-lettered', async () => {
    await simCall('PUT', '/sim/rate_limits', { per_window: 960, create_per_window: 300, window_ms: 3000 });
    const a = addIntegration({ token: 'tok-a' });
    const b = addIntegration({ token: 'tok-b' });
    const pdIds = await Promise.all(Array.from({ length: 3 }, (_, i) => simIncident(`429 target ${i}`)));
    await simCall('PUT', '/sim/faults', { storm_seconds: 600, token: 'tok-a' });
    const aCommands = pdIds.map((pdId, i) => command(a, pdId, 'update_incident', { update: { title: `after 429 storm ${i}` } }));
    await send(...aCommands);
    await waitFor(async () => {
      const view = await status(a);
      return view.rate_limited_429_count >= 1 && typeof view.rate_limited_until === 'string';
    }, { what: 'integration A paused by its 429', timeoutMs: 30000 });
    const bCommands = pdIds.map((pdId, i) => command(b, pdId, 'add_note', { note: { content: `B flows during A's 429s ${i}` } }));
    await send(...bCommands);
    await waitFor(() => bCommands.every((c) => succeeded(b).has(c.commandId)), { what: 'integration B written during A\'s storm', timeoutMs: 30000 });
    // A's storm is still on: none of A's writes can have succeeded, and none was dead-lettered.
    expect((await simCall('GET', '/sim/faults')).faults.storm_active).toBe(true);
    expect(succeeded(a).size).toBe(0);
    expect((await status(a)).parked_count).toBeGreaterThanOrEqual(1);
    const storm429 = (await simRequests()).filter((r) => r.status === 429 && pdIds.some((id) => r.path === `/incidents/${id}`));
    expect(storm429.length).toBeGreaterThanOrEqual(1);
    await simCall('DELETE', '/sim/faults');
    await waitFor(() => aCommands.every((c) => succeeded(a).has(c.commandId)), { what: 'A delivered after its storm', timeoutMs: 30000 });
    for (const [i, pdId] of pdIds.entries()) expect((await simCall('GET', `/incidents/${pdId}`)).incident.title).toBe(`after 429 storm ${i}`);
    expect([...deadLetters(a), ...deadLetters(b)]).toHaveLength(0);
    expect(await status(a)).toMatchObject({ parked_count: 0, queue_depth: 0, dead_lettered_count: 0 });
  }, 90000);
});

import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { Consumer, Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { INTERNAL_HEADERS, IntegrationConfigChangedV1, Topic } from '@incident-sync/contracts';
import { ensureTopics } from '@incident-sync/messaging';
import { createValidationPipe, loadConfig } from '@incident-sync/service-runtime';
import { ApiClient, testStack, uniqueId, waitFor } from '@incident-sync/testing';
import { IntegrationConfigEnv } from '../src/integration-config.env';
import { IntegrationConfigModule } from '../src/integration-config.module';
import { SecretCipher } from '../src/secret-cipher';

/**
 * integration-config in-process against the TEST stack's real PostgreSQL (own schema) and
 * real Kafka. Calls carry the headers the gateway would set after resolving an API key.
 */
const schema = `it_ic_${randomUUID().slice(0, 8)}`;
const ADMIN_KEY = 'it-admin-1c80bf90aeb27fd8fdaf1e4691310f04eeef36d5';
const INTERNAL = 'it-internal-a19823d68f5c31a23f778b21fd49e2baabe33b11';
const TOKEN = 'u+IntTestSecretToken-9z8Y';

const env = loadConfig(IntegrationConfigEnv, {
  PORT: '1', // unused: the test listens on an ephemeral port
  INTERNAL_TOKEN: INTERNAL,
  GATEWAY_TOKEN: testStack.gatewayToken,
  DATABASE_URL: testStack.databaseUrl,
  KAFKA_BROKERS: testStack.kafkaBrokers.join(','),
  ENCRYPTION_KEY: 'Z4qaYhlADDw/CyNgL/snNjf6z6S250BdWYv5uQF0AIQ=',
  ADMIN_API_KEY: ADMIN_KEY,
  ALLOW_LOCAL_BASE_URLS: 'false',
  LOG_LEVEL: 'warn',
});

interface Identity { organization_id: string | null; key_id: string; name: string; is_admin: boolean }

describe('integration-config on the real database and broker', () => {
  let app: INestApplication;
  let baseUrl: string;
  let db: Client;
  let consumer: Consumer;
  const events: IntegrationConfigChangedV1[] = [];
  const orgA = uniqueId('org-a');
  const orgB = uniqueId('org-b');

  /** A client that looks like the gateway forwarding a call of this identity. */
  const as = (identity: Identity, org?: string): ApiClient => {
    const headers: Record<string, string> = {
      [INTERNAL_HEADERS.internalToken]: INTERNAL,
      [INTERNAL_HEADERS.isAdmin]: String(identity.is_admin),
      [INTERNAL_HEADERS.actor]: identity.name,
    };
    const effective = identity.is_admin ? org : identity.organization_id;
    if (effective) headers[INTERNAL_HEADERS.organizationId] = effective;
    return new ApiClient(baseUrl).withHeaders(headers);
  };
  const adminIdentity: Identity = { organization_id: null, key_id: 'admin', name: 'admin', is_admin: true };
  const internal = (): ApiClient => new ApiClient(baseUrl).withHeaders({ [INTERNAL_HEADERS.internalToken]: INTERNAL });

  const documentedBody = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
    organization_id: orgA, integration_type: 'pagerduty', name: 'Production PagerDuty',
    base_url: 'https://api.pagerduty.com', credentials: { token: TOKEN },
    sync_direction: 'bidirectional', enabled: true, ...over,
  });

  async function keyFor(org: string): Promise<Identity> {
    const created = await as(adminIdentity).post('/api/v1/api-keys', { organization_id: org, name: 'it' });
    expect(created.status).toBe(201);
    const resolved = await internal().post('/internal/v1/api-keys/resolve', { api_key: created.body.api_key });
    expect(resolved.status).toBe(200);
    return resolved.body as Identity;
  }

  async function outboxCount(): Promise<number> {
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM "${schema}"."outbox_message"`);
    return rows[0].n as number;
  }

  beforeAll(async () => {
    db = new Client({ connectionString: testStack.databaseUrl });
    await db.connect();
    await ensureTopics(testStack.kafkaBrokers);
    const kafka = new Kafka({ clientId: `it-${schema}`, brokers: testStack.kafkaBrokers, logLevel: logLevel.NOTHING });
    consumer = kafka.consumer({ groupId: `it-${schema}` });
    await consumer.connect();
    // From the beginning (filtered by this run's integration ids below): a fresh group that
    // starts at "latest" could resolve its offset after the first event was produced.
    await consumer.subscribe({ topic: Topic.IntegrationConfigChanged, fromBeginning: true });
    let joined = false;
    consumer.on(consumer.events.GROUP_JOIN, () => { joined = true; });
    await consumer.run({ eachMessage: async ({ message }) => { events.push(JSON.parse(message.value?.toString() ?? '{}')); } });
    await waitFor(() => joined, { what: 'consumer group join', timeoutMs: 30000 });

    app = await NestFactory.create(IntegrationConfigModule.forRoot(env, { schema }), new FastifyAdapter(), { logger: ['error', 'warn'] });
    app.useGlobalPipes(createValidationPipe());
    await app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await app?.close();
    await consumer?.disconnect();
    await db?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await db?.end();
  });

  it('creates from the documented body; the raw row holds no plaintext token; the internal API decrypts it', async () => {
    const created = await as(adminIdentity).post('/api/v1/integrations', documentedBody({ slug: 'prod-pd', webhook_secret: 'whsec-IntTest-Secret-42' }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      organization_id: orgA, slug: 'prod-pd', integration_type: 'pagerduty', sync_direction: 'bidirectional', enabled: true,
      rate_limit: 120, backoff_multiplier: 2, conflict_strategy: 'ownership-priority', version: 1,
      credentials: { token: { set: true, last4: '9z8Y' } },
      priority_mapping: { P1: 'SEV-1', P2: 'SEV-2', P3: 'SEV-3', P4: 'SEV-4', P5: 'SEV-4' },
    });
    expect(JSON.stringify(created.body)).not.toContain(TOKEN);
    expect(JSON.stringify(created.body)).not.toContain('whsec-IntTest-Secret-42');

    const { rows } = await db.query(`SELECT * FROM "${schema}"."integration" WHERE id = $1`, [created.body.id]);
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows[0])).not.toContain(TOKEN);
    expect(JSON.stringify(rows[0])).not.toContain('IntTestSecretToken');
    expect(rows[0].token_ciphertext).toMatch(/^v1\./);
    const secrets = await db.query(`SELECT * FROM "${schema}"."webhook_secret" WHERE integration_id = $1`, [created.body.id]);
    expect(JSON.stringify(secrets.rows)).not.toContain('whsec-IntTest-Secret-42');

    const runtime = await internal().get(`/internal/v1/integrations/${created.body.id}`);
    expect(runtime.status).toBe(200);
    expect(runtime.body).toMatchObject({ id: created.body.id, organizationId: orgA, token: TOKEN, webhookSecrets: ['whsec-IntTest-Secret-42'], rateLimitPerMinute: 120, type: 'pagerduty' });
    expect(runtime.body.fieldOwnership).toEqual(expect.arrayContaining([
      { field: 'title', owner: 'platform', priority: 0, authoritative: false }, { field: 'assigned_to', owner: 'external', priority: 0, authoritative: false },
    ]));
    expect((await internal().get(`/internal/v1/integrations/${randomUUID()}`)).status).toBe(404);
    expect((await new ApiClient(baseUrl).get(`/internal/v1/integrations/${created.body.id}`)).status).toBe(401);
  });

  it('the internal list is per organization, required, and never carries a token or a webhook secret', async () => {
    const id = (await as(adminIdentity, orgA).get('/api/v1/integrations/prod-pd')).body.id as string;
    const listed = await internal().get(`/internal/v1/integrations?organization_id=${orgA}`);
    expect(listed.status).toBe(200);
    const mine = listed.body.data.find((i: { id: string }) => i.id === id);
    expect(Object.keys(mine).sort()).toEqual(['enabled', 'id', 'name', 'organizationId', 'slug', 'syncDirection', 'type', 'updatedAt', 'version']);
    expect(mine).toMatchObject({ organizationId: orgA, slug: 'prod-pd', type: 'pagerduty' });
    const text = JSON.stringify(listed.body);
    for (const secret of [TOKEN, 'IntTestSecretToken', 'whsec-IntTest-Secret-42', 'whsec-']) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/"(token|webhookSecrets)"/);
    // Without an organization (or with an empty one, or two) it lists nothing at all.
    for (const query of ['', '?organization_id=', `?organization_id=${orgA}&organization_id=${orgB}`]) {
      const all = await internal().get(`/internal/v1/integrations${query}`);
      expect(all.status).toBe(400);
      expect(all.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'organization_id' });
      expect(JSON.stringify(all.body)).not.toContain(TOKEN);
    }
    expect((await internal().get(`/internal/v1/integrations?organization_id=${orgB}`)).body).toEqual({ data: [] });
  });

  it('decrypts only for the exact lookup of one integration, scoped by organization when asked by ref', async () => {
    const id = (await as(adminIdentity, orgA).get('/api/v1/integrations/prod-pd')).body.id as string;
    for (const ref of [id, id.toUpperCase(), 'prod-pd']) {
      const scoped = await internal().get(`/internal/v1/organizations/${orgA}/integrations/${ref}`);
      expect(scoped.status).toBe(200);
      expect(scoped.body).toMatchObject({ id, organizationId: orgA, token: TOKEN });
      // Another organization's integration, by id or slug: 404, nothing of it in the answer.
      const other = await internal().get(`/internal/v1/organizations/${orgB}/integrations/${ref}`);
      expect(other.status).toBe(404);
      expect(JSON.stringify(other.body)).not.toContain(TOKEN);
    }
    // An id that is not a UUID is a 404 without reading or decrypting anything.
    const cipher = app.get(SecretCipher);
    const decrypt = jest.spyOn(cipher, 'decrypt');
    try {
      for (const ref of ['prod-pd', `${id}x`, '..%2F..', randomUUID()]) {
        expect((await internal().get(`/internal/v1/integrations/${ref}`)).status).toBe(404);
      }
      expect((await internal().get(`/internal/v1/organizations/${orgA}/integrations/${randomUUID()}`)).status).toBe(404);
      expect(decrypt).not.toHaveBeenCalled();
    } finally {
      decrypt.mockRestore();
    }
  });

  it("gives a second organization's key 404 on the first organization's integration, by id and by slug", async () => {
    const keyA = await keyFor(orgA);
    const keyB = await keyFor(orgB);
    const mine = await as(keyA).get('/api/v1/integrations/prod-pd');
    expect(mine.status).toBe(200);
    const id = mine.body.id as string;
    for (const ref of [id, 'prod-pd']) {
      expect((await as(keyB).get(`/api/v1/integrations/${ref}`)).status).toBe(404);
      expect((await as(keyB).patch(`/api/v1/integrations/${ref}`, { enabled: false })).status).toBe(404);
      expect((await as(keyB).delete(`/api/v1/integrations/${ref}`)).status).toBe(404);
      expect((await as(keyB).put(`/api/v1/integrations/${ref}/field-ownership/title`, { owner: 'external' })).status).toBe(404);
      expect((await as(keyB).get(`/api/v1/integrations/${ref}/service-mappings`)).status).toBe(404);
      expect((await as(keyB).post(`/api/v1/integrations/${ref}/test`)).status).toBe(404);
    }
    expect((await as(keyB).get('/api/v1/integrations')).body.data).toEqual([]);
    // A body naming another organization is refused, not honoured.
    const smuggled = await as(keyB).post('/api/v1/integrations', documentedBody({ slug: 'smuggled' }));
    expect(smuggled.status).toBe(400);
    expect(smuggled.body.error.field).toBe('organization_id');
    const after = await as(keyA).get(`/api/v1/integrations/${id}`);
    expect(after.body).toMatchObject({ enabled: true, version: mine.body.version });
  });

  it('publishes integration.config.changed through the outbox to a consumer on the real broker', async () => {
    const created = await as(adminIdentity, orgA).post('/api/v1/integrations', documentedBody({ organization_id: undefined, slug: 'events-pd' }));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const patched = await as(adminIdentity, orgA).patch(`/api/v1/integrations/events-pd`, { conflict_strategy: 'manual-review' });
    expect(patched.body.version).toBe(2);
    await as(adminIdentity, orgA).post(`/api/v1/integrations/events-pd/service-mappings`, { pd_service_id: 'P123ABC', incident_type: 'infrastructure' });
    await as(adminIdentity, orgA).delete(`/api/v1/integrations/events-pd`);
    const mine = await waitFor(() => {
      const list = events.filter((e) => e.integrationId === id);
      return list.length >= 4 ? list : undefined;
    }, { what: 'four config-changed events', timeoutMs: 30000 });
    expect(mine.map((e) => [e.change, e.version])).toEqual([['created', 1], ['updated', 2], ['updated', 3], ['deleted', 4]]);
    expect(mine.every((e) => e.organizationId === orgA)).toBe(true);
    expect(JSON.stringify(mine)).not.toContain(TOKEN);
  });

  it('answers 409 for a duplicate slug in one organization (and allows it in another) and changes nothing', async () => {
    const before = await outboxCount();
    const dup = await as(adminIdentity).post('/api/v1/integrations', documentedBody({ slug: 'prod-pd' }));
    expect(dup.status).toBe(409);
    expect(dup.body.error).toMatchObject({ code: 'CONFLICT', field: 'slug' });
    expect(await outboxCount()).toBe(before);
    const other = await as(adminIdentity).post('/api/v1/integrations', documentedBody({ organization_id: orgB, slug: 'prod-pd' }));
    expect(other.status).toBe(201);
    // Renaming onto a taken slug is a 409 too.
    await as(adminIdentity, orgA).post('/api/v1/integrations', documentedBody({ slug: 'second-pd' }));
    const rename = await as(adminIdentity, orgA).patch('/api/v1/integrations/second-pd', { slug: 'prod-pd' });
    expect(rename.status).toBe(409);
  });

  it.each([
    [{ integration_type: 'jira' }, 'integration_type'],
    [{ sync_direction: 'sideways' }, 'sync_direction'],
    [{ conflict_strategy: 'coin-flip' }, 'conflict_strategy'],
    [{ rate_limit: -1 }, 'rate_limit'],
    [{ credentials: undefined }, 'credentials.token'],
    [{ base_url: 'https://metadata.internal.example' }, 'base_url'],
    [{ base_url: 'http://127.0.0.1:8090' }, 'base_url'],
  ])('rejects bad create input %j with 400 naming %s and creates nothing', async (patch, field) => {
    const before = await db.query(`SELECT count(*)::int AS n FROM "${schema}"."integration"`);
    const outbox = await outboxCount();
    const res = await as(adminIdentity).post('/api/v1/integrations', documentedBody({ slug: uniqueId('bad'), ...patch }));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field });
    const after = await db.query(`SELECT count(*)::int AS n FROM "${schema}"."integration"`);
    expect(after.rows[0].n).toBe(before.rows[0].n);
    expect(await outboxCount()).toBe(outbox);
  });

  it('rejects a bad update with 400 and leaves the integration as it was', async () => {
    const before = await as(adminIdentity, orgA).get('/api/v1/integrations/prod-pd');
    for (const [body, field] of [[{ rate_limit: -5 }, 'rate_limit'], [{ sync_direction: 'up' }, 'sync_direction'], [{ base_url: 'https://evil.example' }, 'base_url']] as const) {
      const res = await as(adminIdentity, orgA).patch('/api/v1/integrations/prod-pd', body);
      expect(res.status).toBe(400);
      expect(res.body.error.field).toBe(field);
    }
    const after = await as(adminIdentity, orgA).get('/api/v1/integrations/prod-pd');
    expect(after.body).toEqual(before.body);
  });

  it('unmapped_services and default_incident_type: validated, stored, served to the runtime config; a bad value changes nothing', async () => {
    const api = as(adminIdentity, orgA);
    const id = (await api.get('/api/v1/integrations/prod-pd')).body.id as string;
    expect((await internal().get(`/internal/v1/integrations/${id}`)).body).toMatchObject({ unmappedServices: 'create', defaultIncidentType: null });
    const before = await api.get('/api/v1/integrations/prod-pd');
    for (const [body, field] of [[{ unmapped_services: 'drop' }, 'unmapped_services'], [{ default_incident_type: '' }, 'default_incident_type'], [{ default_incident_type: '   ' }, 'default_incident_type'], [{ default_incident_type: 'x'.repeat(201) }, 'default_incident_type']] as const) {
      const res = await api.patch('/api/v1/integrations/prod-pd', body);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field });
    }
    expect((await api.get('/api/v1/integrations/prod-pd')).body).toEqual(before.body);
    expect((await api.patch('/api/v1/integrations/prod-pd', { unmapped_services: 'ignore', default_incident_type: 'triage' })).body).toMatchObject({ unmapped_services: 'ignore', default_incident_type: 'triage' });
    expect((await internal().get(`/internal/v1/integrations/${id}`)).body).toMatchObject({ unmappedServices: 'ignore', defaultIncidentType: 'triage' });
    expect((await api.patch('/api/v1/integrations/prod-pd', { unmapped_services: 'create', default_incident_type: null })).body).toMatchObject({ unmapped_services: 'create', default_incident_type: null });
  });

  it('a rule that cannot take effect is saved with a warning naming the command that enables it', async () => {
    const api = as(adminIdentity, orgA);
    expect((await api.patch('/api/v1/integrations/prod-pd', { sync_escalations: false })).status).toBe(200);
    const saved = await api.put('/api/v1/integrations/prod-pd/field-ownership/escalation_policy', { owner: 'external', priority: 5 });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ field: 'escalation_policy', owner: 'external', priority: 5, warnings: ['escalation_policy is not synced while sync_escalations is false, so this rule has no effect yet; enable it: im integration configure prod-pd --sync-escalations true'] });
    expect((await api.get('/api/v1/integrations/prod-pd/field-ownership')).body.data).toContainEqual({ field: 'escalation_policy', owner: 'external', priority: 5, authoritative: false, is_default: false });
    expect((await api.put('/api/v1/integrations/prod-pd/field-ownership/title', { owner: 'platform' })).body.warnings).toBeUndefined();
    expect((await api.patch('/api/v1/integrations/prod-pd', { sync_escalations: true })).status).toBe(200);
    expect((await api.put('/api/v1/integrations/prod-pd/field-ownership/escalation_policy', { owner: 'external', priority: 5 })).body.warnings).toBeUndefined();
    await api.delete('/api/v1/integrations/prod-pd/field-ownership/escalation_policy');
    await api.delete('/api/v1/integrations/prod-pd/field-ownership/title');
  });

  it('a missing integration is a 404 naming this organization\'s integrations and the closest, never another organization\'s', async () => {
    const res = await as(adminIdentity, orgA).get('/api/v1/integrations/prod-pdd');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
    expect(res.body.error.message).toMatch(/^integration prod-pdd not found; did you mean prod-pd\? This organization's integrations: .*prod-pd/);
    const foreign = await as(adminIdentity, uniqueId('org-c')).get('/api/v1/integrations/prod-pdd');
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.message).toMatch(/^integration prod-pdd not found; this organization has no integrations yet/);
  });

  it('keeps field ownership, service and user mappings, and shows them to the runtime config', async () => {
    const api = as(adminIdentity, orgA);
    expect((await api.put('/api/v1/integrations/prod-pd/field-ownership/title', { owner: 'platform', priority: 10 })).body).toMatchObject({ field: 'title', owner: 'platform', priority: 10 });
    expect((await api.put('/api/v1/integrations/prod-pd/field-ownership/assigned_to', { owner: 'external', priority: 5, authoritative: true })).body).toMatchObject({ authoritative: true });
    // A later PUT that does not mention it keeps the enforcement; a non-boolean is refused naming the field.
    expect((await api.put('/api/v1/integrations/prod-pd/field-ownership/assigned_to', { owner: 'external', priority: 5 })).body).toMatchObject({ authoritative: true });
    const bad = await api.put('/api/v1/integrations/prod-pd/field-ownership/assigned_to', { owner: 'external', authoritative: 'yes' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('authoritative');
    expect((await api.put('/api/v1/integrations/prod-pd/field-ownership/colour', { owner: 'external' })).body.error.field).toBe('field');
    expect((await api.post('/api/v1/integrations/prod-pd/service-mappings', { pd_service_id: 'P123ABC', incident_type: 'infrastructure' })).status).toBe(201);
    expect((await api.post('/api/v1/integrations/prod-pd/user-mappings', { email: 'Alice@Example.com', pd_user_id: 'PALICE1' })).status).toBe(201);
    const list = await api.get('/api/v1/integrations/prod-pd/field-ownership');
    expect(list.body.data).toEqual(expect.arrayContaining([
      { field: 'title', owner: 'platform', priority: 10, authoritative: false, is_default: false },
      { field: 'assigned_to', owner: 'external', priority: 5, authoritative: true, is_default: false },
      { field: 'status', owner: 'platform', priority: 0, authoritative: false, is_default: true },
    ]));
    const id = (await api.get('/api/v1/integrations/prod-pd')).body.id as string;
    const runtime = (await internal().get(`/internal/v1/integrations/${id}`)).body;
    expect(runtime.serviceMappings).toEqual([{ pdServiceId: 'P123ABC', incidentType: 'infrastructure' }]);
    expect(runtime.userMappings).toEqual([{ email: 'alice@example.com', pdUserId: 'PALICE1' }]);
    expect(runtime.fieldOwnership).toContainEqual({ field: 'title', owner: 'platform', priority: 10, authoritative: false });

    expect((await api.delete('/api/v1/integrations/prod-pd/field-ownership/title')).status).toBe(204);
    expect((await api.delete('/api/v1/integrations/prod-pd/service-mappings/P123ABC')).status).toBe(204);
    expect((await api.delete('/api/v1/integrations/prod-pd/service-mappings/P123ABC')).status).toBe(404);
    expect((await api.delete('/api/v1/integrations/prod-pd/user-mappings/alice@example.com')).status).toBe(204);
    const reset = (await internal().get(`/internal/v1/integrations/${id}`)).body;
    expect(reset.fieldOwnership).toContainEqual({ field: 'title', owner: 'platform', priority: 0, authoritative: false });
    expect(reset.serviceMappings).toEqual([]);
  });

  it('rotates webhook secrets: several active, newest first, only last four shown', async () => {
    const api = as(adminIdentity, orgA);
    const added = await api.post('/api/v1/integrations/prod-pd/webhook-secrets', { secret: 'whsec-rotated-NEW9' });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ last4: 'NEW9' });
    const view = (await api.get('/api/v1/integrations/prod-pd')).body;
    expect(view.webhook_secrets.map((s: { last4: string }) => s.last4)).toEqual(['NEW9', 't-42']);
    const runtime = (await internal().get(`/internal/v1/integrations/${view.id}`)).body;
    expect(runtime.webhookSecrets).toEqual(['whsec-rotated-NEW9', 'whsec-IntTest-Secret-42']);
    const old = view.webhook_secrets[1].id as string;
    expect((await api.delete(`/api/v1/integrations/prod-pd/webhook-secrets/${old}`)).status).toBe(204);
    expect((await internal().get(`/internal/v1/integrations/${view.id}`)).body.webhookSecrets).toEqual(['whsec-rotated-NEW9']);
  });

  it('resolves API keys for the gateway: admin (constant time), organization keys, unknown → 401; stores only a hash', async () => {
    expect((await internal().post('/internal/v1/api-keys/resolve', { api_key: ADMIN_KEY })).body).toEqual(adminIdentity);
    const created = await as(adminIdentity).post('/api/v1/api-keys', { organization_id: orgA, name: 'ci' });
    expect(created.body.api_key).toMatch(/^isk_/);
    const resolved = await internal().post('/internal/v1/api-keys/resolve', { api_key: created.body.api_key });
    expect(resolved.body).toEqual({ organization_id: orgA, key_id: created.body.id, name: 'ci', is_admin: false });
    expect((await internal().post('/internal/v1/api-keys/resolve', { api_key: 'isk_nope' })).status).toBe(401);
    expect((await new ApiClient(baseUrl).post('/internal/v1/api-keys/resolve', { api_key: ADMIN_KEY })).status).toBe(401);
    const { rows } = await db.query(`SELECT * FROM "${schema}"."api_key" WHERE id = $1`, [created.body.id]);
    expect(JSON.stringify(rows[0])).not.toContain(created.body.api_key);

    const orgKey = resolved.body as Identity;
    expect((await as(orgKey).post('/api/v1/api-keys', { organization_id: orgA, name: 'x' })).status).toBe(401);
    const listed = await as(orgKey).get('/api/v1/api-keys');
    expect(listed.body.data.every((k: { organization_id: string }) => k.organization_id === orgA)).toBe(true);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.api_key);
    expect((await as(await keyFor(orgB)).delete(`/api/v1/api-keys/${created.body.id}`)).status).toBe(404);
    expect((await as(orgKey).delete(`/api/v1/api-keys/${created.body.id}`)).status).toBe(204);
    expect((await internal().post('/internal/v1/api-keys/resolve', { api_key: created.body.api_key })).status).toBe(401);
  });
});

import { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { INTERNAL_HEADERS, Topic } from '@incident-sync/contracts';
import { signatureHeader, signWebhookBody } from '@incident-sync/pagerduty';
import { IntegrationLookup } from '@incident-sync/integration-config-client';
import { bootstrapService, loadConfig } from '@incident-sync/service-runtime';
import { testStack, waitFor } from '@incident-sync/testing';
import { WebhookIngressEnv } from '../src/webhook-ingress.env';
import { WebhookIngressModule } from '../src/webhook-ingress.module';
import { integrationConfig, IntegrationConfigStandIn } from '@incident-sync/testing';
import { TopicWatcher } from '@incident-sync/testing';
import { ensureTopics } from '@incident-sync/messaging';

const ORG = `org-${randomUUID().slice(0, 8)}`;
const INTEGRATION: string = randomUUID();
const DISABLED = randomUUID();
const SLUG = `pd-${INTEGRATION.slice(0, 8)}`;
const SECRET = 'whsec-current-0123456789abcdef';
const OLD_SECRET = 'whsec-previous-0123456789abcdef';
const schema = `webhook_ingress_t${randomUUID().replace(/-/g, '').slice(0, 10)}`;
const MAX_BODY = 256 * 1024;

const incidentEvent = (pdIncidentId: string, eventId = `01${randomUUID().replace(/-/g, '').slice(0, 24).toUpperCase()}`, eventType = 'incident.acknowledged'): string =>
  JSON.stringify({
    event: {
      id: eventId, event_type: eventType, resource_type: 'incident', occurred_at: new Date().toISOString(), agent: null, client: null,
      data: { id: pdIncidentId, type: 'incident', title: 'disk full', status: 'acknowledged', urgency: 'high' },
    },
  });

describe('webhook-ingress (real Postgres + Kafka, in-process app)', () => {
  const config = new IntegrationConfigStandIn(testStack.internalToken);
  const watcher = new TopicWatcher(testStack.kafkaBrokers, [Topic.PagerDutyWebhookReceived]);
  let app: INestApplication;
  let baseUrl: string;

  const deliver = async (body: string | Buffer, headers: Record<string, string>, integration: string = INTEGRATION): Promise<{ status: number; body: { status?: string; error?: { code: string } } }> => {
    const response = await fetch(`${baseUrl}/api/v1/webhooks/${integration}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [INTERNAL_HEADERS.internalToken]: testStack.internalToken, ...headers },
      body,
    });
    return { status: response.status, body: (await response.json()) as { status?: string } };
  };
  const signed = (body: string, secrets = [SECRET]): Record<string, string> => ({ 'x-pagerduty-signature': signatureHeader(secrets, body), 'x-webhook-id': randomUUID() });
  const published = (pdIncidentId: string) => watcher.where((m) => m.value.integrationId === INTEGRATION && m.value.pdIncidentId === pdIncidentId);

  beforeAll(async () => {
    const configUrl = await config.start();
    config.put(integrationConfig({ id: INTEGRATION, slug: SLUG, organizationId: ORG, webhookSecrets: [SECRET, OLD_SECRET] }));
    config.put(integrationConfig({ id: DISABLED, slug: `${SLUG}-off`, organizationId: ORG, webhookSecrets: [SECRET], enabled: false }));
    await ensureTopics(testStack.kafkaBrokers);
    await watcher.start();
    const env = loadConfig(WebhookIngressEnv, {
      PORT: '18983', INTERNAL_TOKEN: testStack.internalToken, GATEWAY_TOKEN: testStack.gatewayToken, DATABASE_URL: testStack.databaseUrl, KAFKA_BROKERS: testStack.kafkaBrokers.join(','),
      INTEGRATION_CONFIG_URL: configUrl, WEBHOOK_MAX_BODY_BYTES: String(MAX_BODY), DATABASE_SCHEMA: schema, KAFKA_GROUP_ID: `webhook-ingress-test-${schema}`, LOG_LEVEL: 'warn',
    });
    app = await bootstrapService({ name: 'webhook-ingress', module: WebhookIngressModule.forRoot(env), host: '127.0.0.1', port: 0, logLevel: 'warn', rawBody: true, bodyLimitBytes: MAX_BODY });
    baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    await app?.close();
    await watcher.stop();
    await config.stop();
    const pg = new Client({ connectionString: testStack.databaseUrl });
    await pg.connect();
    await pg.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pg.end();
  });

  it('a validly signed delivery is acknowledged and published exactly once, keyed by the PD incident id', async () => {
    const body = incidentEvent('PINC001');
    const response = await deliver(body, signed(body));
    expect(response.status).toBe(202);
    expect(response.body.status).toBe('accepted');
    const [message] = await waitFor(() => published('PINC001').length > 0 && published('PINC001'), { what: 'the published webhook' });
    expect(message!.key).toBe('PINC001');
    expect(message!.value).toMatchObject({ organizationId: ORG, eventType: 'incident.acknowledged', pdIncidentId: 'PINC001', event: JSON.parse(body).event });
    await new Promise((r) => setTimeout(r, 1000));
    expect(published('PINC001')).toHaveLength(1);
  });

  it('a duplicate (same X-Webhook-Id, or same event.id under a new webhook id) is acknowledged and not published again', async () => {
    const body = incidentEvent('PINC002');
    const headers = signed(body);
    expect((await deliver(body, headers)).status).toBe(202);
    const again = await deliver(body, headers);
    expect(again).toEqual({ status: 202, body: { status: 'duplicate' } });
    const sameEvent = await deliver(body, { ...headers, 'x-webhook-id': randomUUID() });
    expect(sameEvent.body.status).toBe('duplicate');
    await waitFor(() => published('PINC002').length > 0, { what: 'the first copy' });
    await new Promise((r) => setTimeout(r, 1000));
    expect(published('PINC002')).toHaveLength(1);
  });

  it('a missing or wrong signature is a 401 and nothing is published', async () => {
    const body = incidentEvent('PINC003');
    expect((await deliver(body, { 'x-webhook-id': randomUUID() })).status).toBe(401);
    const wrong = await deliver(body, { 'x-pagerduty-signature': signWebhookBody('not-the-secret', body), 'x-webhook-id': randomUUID() });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error?.code).toBe('INVALID_SIGNATURE');
    const tampered = await deliver(body.replace('disk full', 'disk FULL'), signed(body));
    expect(tampered.status).toBe(401);
    await new Promise((r) => setTimeout(r, 1500));
    expect(published('PINC003')).toHaveLength(0);
    // A rejected delivery stored nothing: the same event, properly signed, is new.
    expect((await deliver(body, signed(body))).body.status).toBe('accepted');
  });

  it('during secret rotation a delivery signed with the old secret only, or with both, is accepted', async () => {
    const oldOnly = incidentEvent('PINC004');
    expect((await deliver(oldOnly, signed(oldOnly, [OLD_SECRET]))).status).toBe(202);
    const both = incidentEvent('PINC005');
    expect((await deliver(both, { 'x-pagerduty-signature': `${signWebhookBody('stale', both)},${signatureHeader([SECRET, OLD_SECRET], both)}`, 'x-webhook-id': randomUUID() })).status).toBe(202);
    await waitFor(() => published('PINC004').length === 1 && published('PINC005').length === 1, { what: 'both rotated deliveries' });
  });

  it('a body that is not a v3 envelope is a 400; the ping is a 2xx and not published', async () => {
    const v2 = JSON.stringify({ messages: [{ event: 'incident.trigger' }] });
    const bad = await deliver(v2, signed(v2));
    expect(bad.status).toBe(400);
    const notJson = 'event=1';
    expect((await deliver(notJson, signed(notJson))).status).toBe(400);
    const ping = JSON.stringify({ event: { id: `01PING${randomUUID().slice(0, 8)}`, event_type: 'pagey.ping', resource_type: 'pagey', occurred_at: new Date().toISOString(), agent: null, client: null, data: { message: 'Hello from your friend Pagey!', type: 'ping' } } });
    const pong = await deliver(ping, signed(ping));
    expect(pong.status).toBe(202);
    expect(pong.body.status).toBe('ping');
  });

  it('unknown event types are published too (the sync-engine records and ignores them)', async () => {
    const body = incidentEvent('PINC006', undefined, 'incident.something_new');
    expect((await deliver(body, signed(body))).status).toBe(202);
    await waitFor(() => published('PINC006').length === 1, { what: 'the unknown event' });
  });

  it('a body above the size limit is a 413', async () => {
    const big = incidentEvent('PINC007').replace('disk full', 'x'.repeat(MAX_BODY));
    expect((await deliver(big, signed(big))).status).toBe(413);
  });

  it('an unknown integration is a 404; a path that is not an id is a 404 without asking integration-config', async () => {
    const body = incidentEvent('PINC008');
    expect((await deliver(body, signed(body), randomUUID())).status).toBe(404);
    const before = config.requests;
    // The slug names the integration for API-key calls only: the delivery URL carries the id.
    for (const path of ['no-such-integration', SLUG, encodeURIComponent(`${INTEGRATION}x`), '%2e%2e']) {
      expect((await deliver(body, signed(body), path)).status).toBe(404);
    }
    expect(config.requests).toBe(before);
  });

  it('a disabled (paused) integration acknowledges and publishes the delivery, so nothing is dropped while paused (issue #14)', async () => {
    const body = incidentEvent('PINC009');
    const answer = await deliver(body, signed(body), DISABLED);
    expect([answer.status, answer.body.status]).toEqual([202, 'accepted']);
    const paused = () => watcher.where((m) => m.value.integrationId === DISABLED && m.value.pdIncidentId === 'PINC009');
    await waitFor(() => paused().length === 1, { what: 'the paused integration\'s delivery published' });
    expect(paused()[0]!.key).toBe('PINC009');
  });

  it('a flood of deliveries to random UUIDs and random strings answers 404 and leaves the lookup caches within their bounds', async () => {
    const lookup = app.get(IntegrationLookup);
    const before = config.requests;
    const body = incidentEvent('PFLOOD1');
    const statuses = new Map<number, number>();
    const count = (status: number): void => void statuses.set(status, (statuses.get(status) ?? 0) + 1);
    for (let i = 0; i < 150; i += 1) {
      count((await deliver(body, signed(body), randomUUID())).status);
      count((await deliver(body, signed(body), encodeURIComponent(`${randomUUID().slice(0, 12)}-${i}\u00e9`))).status);
    }
    expect(Object.fromEntries(statuses)).toEqual({ 404: 300 });
    // Only the UUIDs were looked up (each once); nothing was cached for them beyond the small miss cache.
    expect(config.requests - before).toBe(150);
    const sizes = lookup.sizes();
    expect(sizes.configs).toBeLessThanOrEqual(2);
    expect(sizes.misses).toBeLessThanOrEqual(1000);
    expect(sizes.slugs).toBe(0);
    expect(published('PFLOOD1')).toHaveLength(0);
  });

  it('the status endpoint reports totals, duplicates and rejected signatures', async () => {
    const response = await fetch(`${baseUrl}/internal/v1/ingress/status/${INTEGRATION}`, { headers: { [INTERNAL_HEADERS.internalToken]: testStack.internalToken } });
    const status = (await response.json()) as Record<string, unknown>;
    expect(status).toMatchObject({ integration_id: INTEGRATION, accepted_total: 6, duplicate_total: 2, rejected_signature_total: 3, ping_total: 1 });
    expect(typeof status.last_received_at).toBe('string');
  });

  it('POST /test proves verification end to end and scopes the integration to the caller\'s organization', async () => {
    const call = (org: string) => fetch(`${baseUrl}/api/v1/webhooks/${INTEGRATION}/test`, {
      method: 'POST', headers: { [INTERNAL_HEADERS.internalToken]: testStack.internalToken, [INTERNAL_HEADERS.organizationId]: org },
    });
    const ok = await call(ORG);
    expect(ok.status).toBe(200);
    const report = (await ok.json()) as { result: string; checks: { name: string; passed: boolean }[] };
    expect(report.result).toBe('pass');
    expect(report.checks.map((c) => [c.name, c.passed])).toEqual([['signed_sample_accepted', true], ['tampered_copy_rejected', true], ['unknown_secret_rejected', true]]);
    expect(JSON.stringify(report)).not.toContain(SECRET);
    expect((await call('another-org')).status).toBe(404);
    // The organization's slug names the integration too.
    const bySlug = await fetch(`${baseUrl}/api/v1/webhooks/${SLUG}/test`, {
      method: 'POST', headers: { [INTERNAL_HEADERS.internalToken]: testStack.internalToken, [INTERNAL_HEADERS.organizationId]: ORG },
    });
    expect(((await bySlug.json()) as { result: string }).result).toBe('pass');
    const otherOrgBySlug = await fetch(`${baseUrl}/api/v1/webhooks/${SLUG}/test`, {
      method: 'POST', headers: { [INTERNAL_HEADERS.internalToken]: testStack.internalToken, [INTERNAL_HEADERS.organizationId]: 'another-org' },
    });
    expect(otherOrgBySlug.status).toBe(404);
  });
});

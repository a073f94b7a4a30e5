import { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { INTERNAL_HEADERS, Topic } from '@incident-sync/contracts';
import { signatureHeader } from '@incident-sync/pagerduty';
import { ensureTopics } from '@incident-sync/messaging';
import { bootstrapService, loadConfig } from '@incident-sync/service-runtime';
import { integrationConfig, IntegrationConfigStandIn, testStack, TopicWatcher, waitFor } from '@incident-sync/testing';
import { WebhookIngressEnv } from '../src/webhook-ingress.env';
import { WebhookIngressModule } from '../src/webhook-ingress.module';

const ORG = `org-${randomUUID().slice(0, 8)}`;
const INTEGRATION: string = randomUUID();
const SECRET = 'whsec-group-commit-0123456789abcdef';
const schema = `webhook_ingress_g${randomUUID().replace(/-/g, '').slice(0, 10)}`;

const eventBody = (pdIncidentId: string, eventId: string): string =>
  JSON.stringify({ event: { id: eventId, event_type: 'incident.acknowledged', resource_type: 'incident', occurred_at: new Date().toISOString(), agent: null, client: null, data: { id: pdIncidentId, type: 'incident', title: 'disk full' } } });

/**
 * Group commit (issue #16): concurrent deliveries share transactions, and still each one is
 * acknowledged only once stored, published exactly once, deduplicated, counted, in order.
 */
describe('webhook-ingress group commit (real Postgres + Kafka, in-process app)', () => {
  const config = new IntegrationConfigStandIn(testStack.internalToken);
  const watcher = new TopicWatcher(testStack.kafkaBrokers, [Topic.PagerDutyWebhookReceived]);
  const pg = new Client({ connectionString: testStack.databaseUrl });
  let app: INestApplication;
  let baseUrl: string;

  const deliver = async (body: string, webhookId: string): Promise<{ status: number; body: { status?: string; receipt_id?: string } }> => {
    const response = await fetch(`${baseUrl}/api/v1/webhooks/${INTEGRATION}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [INTERNAL_HEADERS.internalToken]: testStack.internalToken, 'x-pagerduty-signature': signatureHeader([SECRET], body), 'x-webhook-id': webhookId },
      body,
    });
    return { status: response.status, body: (await response.json()) as { status?: string } };
  };

  beforeAll(async () => {
    const configUrl = await config.start();
    config.put(integrationConfig({ id: INTEGRATION, slug: `pd-${INTEGRATION.slice(0, 8)}`, organizationId: ORG, webhookSecrets: [SECRET] }));
    await ensureTopics(testStack.kafkaBrokers);
    await watcher.start();
    await pg.connect();
    const env = loadConfig(WebhookIngressEnv, {
      PORT: '18984', INTERNAL_TOKEN: testStack.internalToken, GATEWAY_TOKEN: testStack.gatewayToken, DATABASE_URL: testStack.databaseUrl, KAFKA_BROKERS: testStack.kafkaBrokers.join(','),
      INTEGRATION_CONFIG_URL: configUrl, DATABASE_SCHEMA: schema, KAFKA_GROUP_ID: `webhook-ingress-test-${schema}`, LOG_LEVEL: 'warn',
    });
    app = await bootstrapService({ name: 'webhook-ingress', module: WebhookIngressModule.forRoot(env), host: '127.0.0.1', port: 0, logLevel: 'warn', rawBody: true });
    baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    await app?.close();
    await watcher.stop();
    await config.stop();
    await pg.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pg.end();
  });

  it('200 concurrent deliveries with repeats among them: every one answered 202 after its commit, each event stored and published once, counters exact, rows in acceptance order', async () => {
    const events = Array.from({ length: 150 }, (_, i) => ({ pd: `PGC${i % 15}`, eventId: `01GC${randomUUID().replace(/-/g, '').slice(0, 22)}`, webhookId: randomUUID() }));
    // 30 retries of an original (same X-Webhook-Id) and 20 re-sends of an event under a new webhook id, all at once.
    const repeats = [...events.slice(0, 30).map((e) => ({ ...e })), ...events.slice(30, 50).map((e) => ({ ...e, webhookId: randomUUID() }))];
    const all = [...events, ...repeats].sort(() => Math.random() - 0.5);
    const answers = await Promise.all(all.map((e) => deliver(eventBody(e.pd, e.eventId), e.webhookId)));

    expect(answers.every((a) => a.status === 202)).toBe(true);
    const accepted = answers.filter((a) => a.body.status === 'accepted');
    expect(accepted).toHaveLength(150);
    expect(answers.filter((a) => a.body.status === 'duplicate')).toHaveLength(50);

    // Answered "accepted" = durable: every receipt id answered is a stored receipt with its outbox row.
    const receipts = (await pg.query(`SELECT "receipt_id" FROM "${schema}"."webhook_receipt" WHERE "integration_id" = $1`, [INTEGRATION])).rows as { receipt_id: string }[];
    expect(new Set(receipts.map((r) => r.receipt_id))).toEqual(new Set(accepted.map((a) => a.body.receipt_id)));
    const rows = (await pg.query(`SELECT "seq", "created_at", "payload" FROM "${schema}"."outbox_message" ORDER BY "seq"`)).rows as { seq: string; created_at: Date; payload: string }[];
    expect(rows).toHaveLength(150);
    // Grouped: rows of one transaction share its start time, so fewer start times than rows.
    expect(new Set(rows.map((r) => r.created_at.getTime())).size).toBeLessThan(rows.length);
    // In acceptance order: receivedAt never goes backwards along seq.
    const receivedAt = rows.map((r) => Date.parse((JSON.parse(r.payload) as { receivedAt: string }).receivedAt));
    expect(receivedAt).toEqual([...receivedAt].sort((a, b) => a - b));

    const status = await (await fetch(`${baseUrl}/internal/v1/ingress/status/${INTEGRATION}`, { headers: { [INTERNAL_HEADERS.internalToken]: testStack.internalToken } })).json();
    expect(status).toMatchObject({ accepted_total: 150, duplicate_total: 50 });

    const mine = () => watcher.where((m) => m.value.integrationId === INTEGRATION);
    await waitFor(() => mine().length >= 150, { what: '150 published deliveries', timeoutMs: 60000 });
    await new Promise((r) => setTimeout(r, 1500));
    expect(new Set(mine().map((m) => m.value.eventId)).size).toBe(150);
    expect(mine()).toHaveLength(150);
  });

  it('a repeat arriving after its original was stored is a duplicate, also when both land in one group', async () => {
    const eventId = `01GD${randomUUID().replace(/-/g, '').slice(0, 22)}`;
    const webhookId = randomUUID();
    const body = eventBody('PGD1', eventId);
    const [a, b] = await Promise.all([deliver(body, webhookId), deliver(body, webhookId)]);
    expect([a.body.status, b.body.status].sort()).toEqual(['accepted', 'duplicate']);
    expect((await deliver(body, randomUUID())).body.status).toBe('duplicate');
  });
});

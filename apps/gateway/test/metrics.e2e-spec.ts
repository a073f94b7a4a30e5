import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { signWebhookBody } from '@incident-sync/pagerduty';
import { ApiClient, TEST_PORTS, testStack, uniqueId, waitFor } from '@incident-sync/testing';

/**
 * GET /metrics (Prometheus text) on every service's own port, and none of it through the
 * gateway's public routes: the gateway's /metrics is its own, `/api/v1/...metrics` is not a
 * route, and dot segments or `/internal/...` are refused. Running test stack required.
 */
const SERVICES = ['gateway', 'integration-config', 'incidents', 'webhook-ingress', 'sync-engine', 'outbound-dispatcher', 'dlq-manager'] as const;
type Service = (typeof SERVICES)[number];

/** Metric families each service exports (beside the process ones every service has). */
const EXPECTED: Record<Service, string[]> = {
  gateway: [],
  'integration-config': ['incident_sync_outbox_unpublished_messages'],
  incidents: ['incident_sync_outbox_unpublished_messages', 'incident_sync_parked_messages'],
  'webhook-ingress': ['incident_sync_webhooks_accepted_total', 'incident_sync_webhooks_rejected_total', 'incident_sync_outbox_unpublished_messages', 'incident_sync_parked_messages'],
  'sync-engine': [
    'incident_sync_open_conflicts', 'incident_sync_inbound_sync_latency_seconds', 'incident_sync_pagerduty_requests_total', 'incident_sync_pagerduty_rate_limited_total',
    'incident_sync_pagerduty_request_duration_seconds', 'incident_sync_outbox_unpublished_messages', 'incident_sync_parked_messages',
  ],
  'outbound-dispatcher': [
    'incident_sync_outbound_sync_latency_seconds', 'incident_sync_dispatcher_queued_commands', 'incident_sync_pagerduty_tokens_available', 'incident_sync_pagerduty_requests_total',
    'incident_sync_pagerduty_rate_limited_total', 'incident_sync_outbox_unpublished_messages', 'incident_sync_parked_messages',
  ],
  'dlq-manager': ['incident_sync_dlq_pending_messages'],
};

/** Gauges read at scrape (COUNT queries) that always have a sample, 0 included. */
const READ_AT_SCRAPE: Partial<Record<Service, RegExp[]>> = {
  'sync-engine': [/^incident_sync_open_conflicts\{service="sync-engine"\} \d+$/m],
  'outbound-dispatcher': [/^incident_sync_dispatcher_queued_commands\{state="parked",service="outbound-dispatcher"\} \d+$/m],
  'dlq-manager': [/^incident_sync_dlq_pending_messages\{topic="pagerduty\.commands\.v1",service="dlq-manager"\} \d+$/m],
  'webhook-ingress': [/^incident_sync_outbox_unpublished_messages\{state="pending",service="webhook-ingress"\} \d+$/m],
};

const gatewayPort = TEST_PORTS.gateway;

/** A request with its target exactly as written (fetch would remove dot segments first). */
function raw(port: number, target: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string; contentType: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: 'GET', path: target, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), contentType: String(res.headers['content-type'] ?? '') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const scrape = async (service: Service): Promise<string> => {
  const answer = await raw(TEST_PORTS[service], '/metrics');
  expect(answer.status).toBe(200);
  expect(answer.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  return answer.text;
};

/** The value of one sample (`name{labels} value`), summed over the samples whose labels include `having`. */
function sampleSum(text: string, name: string, having: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)\{([^}]*)\} (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const labels = match[2] ?? '';
    if (Object.entries(having).every(([k, v]) => labels.includes(`${k}="${v}"`))) sum += Number(match[3]);
  }
  return sum;
}

describe('GET /metrics (e2e, running stack)', () => {
  it.each(SERVICES)('%s serves its own metrics on its own port, without a token', async (service) => {
    const text = await scrape(service);
    expect(text).toContain(`incident_sync_process_cpu_user_seconds_total{service="${service}"}`);
    expect(text).toContain('# TYPE incident_sync_nodejs_eventloop_lag_seconds gauge');
    for (const name of EXPECTED[service]) expect(text).toContain(`# TYPE ${name} `);
    for (const sample of READ_AT_SCRAPE[service] ?? []) expect(text).toMatch(sample);
    // Every scrape-time reading (COUNT queries) answered.
    expect(text).not.toMatch(/^incident_sync_metric_read_failures_total\{/m);
    expect(text).not.toMatch(/ Nan$/m);
    // Only this service's samples: nothing forwarded from another one.
    for (const other of SERVICES) if (other !== service) expect(text).not.toContain(`service="${other}"`);
  });

  it('nothing about metrics is served through the gateway\'s public routes', async () => {
    const admin = { authorization: `Bearer ${testStack.adminApiKey}` };
    for (const headers of [{}, admin]) {
      for (const target of ['/api/v1/metrics', '/api/v1/webhooks/metrics', '/internal/metrics', '/internal/v1/metrics', '/api/v1/internal/metrics']) {
        const answer = await raw(gatewayPort, target, headers);
        expect([401, 404]).toContain(answer.status);
        expect(answer.text).not.toContain('incident_sync_');
      }
      for (const target of ['/api/v1/../metrics', '/api/v1/webhooks/../../metrics', '/api/v1/%2e%2e/metrics', '/api/v1/..%2fmetrics']) {
        const answer = await raw(gatewayPort, target, headers);
        expect(answer.status).toBe(400);
        expect(answer.text).not.toContain('incident_sync_');
      }
    }
  });

  it('counts an accepted webhook delivered through the gateway, and the sync-engine\'s inbound latency', async () => {
    const admin = new ApiClient(testStack.gatewayUrl, testStack.adminApiKey);
    const key = await admin.post('/api/v1/api-keys', { organization_id: uniqueId('org'), name: 'metrics-e2e' });
    expect(key.status).toBe(201);
    const secret = `whsec-${randomUUID()}`;
    const created = await new ApiClient(testStack.gatewayUrl, key.body.api_key).post('/api/v1/integrations', {
      integration_type: 'pagerduty', name: `metrics ${uniqueId('i')}`, base_url: testStack.simulatorUrl, credentials: { token: 'sim-account-token' }, webhook_secret: secret,
    });
    expect(created.status).toBe(201);
    const before = await scrape('webhook-ingress');
    const acceptedBefore = sampleSum(before, 'incident_sync_webhooks_accepted_total', { result: 'new' });
    const rejectedBefore = sampleSum(before, 'incident_sync_webhooks_rejected_total', { reason: 'invalid_signature' });
    const inboundBefore = sampleSum(await scrape('sync-engine'), 'incident_sync_inbound_sync_latency_seconds_count');

    const body = JSON.stringify({
      event: {
        id: `01${randomUUID().replace(/-/g, '').slice(0, 24).toUpperCase()}`, event_type: 'incident.acknowledged', resource_type: 'incident', occurred_at: new Date().toISOString(),
        agent: null, client: null, data: { id: 'PMETRICS1', type: 'incident', title: 'metrics e2e', status: 'acknowledged' },
      },
    });
    const deliver = (signature: string) => new ApiClient(testStack.gatewayUrl).request('POST', `/api/v1/webhooks/${created.body.id}`, body, { 'content-type': 'application/json', 'x-pagerduty-signature': signature, 'x-webhook-id': randomUUID() });
    expect((await deliver(signWebhookBody(secret, body))).status).toBe(202);
    expect((await deliver(signWebhookBody('not-the-secret', body))).status).toBe(401);

    const after = await scrape('webhook-ingress');
    expect(sampleSum(after, 'incident_sync_webhooks_accepted_total', { result: 'new' })).toBeGreaterThanOrEqual(Math.max(1, acceptedBefore + 1));
    expect(sampleSum(after, 'incident_sync_webhooks_rejected_total', { reason: 'invalid_signature' })).toBeGreaterThanOrEqual(rejectedBefore + 1);
    await waitFor(async () => sampleSum(await scrape('sync-engine'), 'incident_sync_inbound_sync_latency_seconds_count') > inboundBefore, { what: 'the sync-engine to handle the delivery', timeoutMs: 30000, intervalMs: 500 });
  });
});

import { randomUUID } from 'node:crypto';
import { Topic } from '@incident-sync/contracts';
import { signatureHeader, signWebhookBody } from '@incident-sync/pagerduty';
import { ApiClient, testStack, uniqueId, waitFor } from '@incident-sync/testing';
import { TopicWatcher } from '@incident-sync/testing';

/**
 * The running test stack (`scripts/stack.sh up --profile test`): deliveries go through the
 * gateway exactly as PagerDuty sends them (public route, raw bytes), the integration and its
 * secrets live in integration-config.
 */
describe('webhook-ingress through the gateway (e2e)', () => {
  const admin = new ApiClient(testStack.gatewayUrl, testStack.adminApiKey);
  const anonymous = new ApiClient(testStack.gatewayUrl);
  const watcher = new TopicWatcher(testStack.kafkaBrokers, [Topic.PagerDutyWebhookReceived]);
  const org = uniqueId('org');
  const SECRET = `whsec-${randomUUID()}`;
  let orgKey: string;
  let otherOrgKey: string;
  let integrationId: string;

  const event = (pdIncidentId: string): string => JSON.stringify({
    event: { id: `01${randomUUID().replace(/-/g, '').slice(0, 24).toUpperCase()}`, event_type: 'incident.acknowledged', resource_type: 'incident', occurred_at: new Date().toISOString(), agent: null, client: null, data: { id: pdIncidentId, type: 'incident', title: 'e2e', status: 'acknowledged' } },
  });
  const deliver = (body: string, headers: Record<string, string>, id = integrationId) =>
    anonymous.request<{ status?: string; error?: { code: string } }>('POST', `/api/v1/webhooks/${id}`, body, { 'content-type': 'application/json', 'user-agent': 'PagerDuty-Webhook/V3.0', ...headers });

  beforeAll(async () => {
    await watcher.start();
    const key = await admin.post('/api/v1/api-keys', { organization_id: org, name: 'e2e' });
    expect(key.status).toBe(201);
    orgKey = key.body.api_key;
    otherOrgKey = (await admin.post('/api/v1/api-keys', { organization_id: uniqueId('org'), name: 'e2e-other' })).body.api_key;
    const created = await new ApiClient(testStack.gatewayUrl, orgKey).post('/api/v1/integrations', {
      integration_type: 'pagerduty', name: `ingress ${org}`, base_url: testStack.simulatorUrl, credentials: { token: 'sim-account-token' }, webhook_secret: SECRET,
    });
    expect(created.status).toBe(201);
    integrationId = created.body.id;
  });

  afterAll(async () => {
    await watcher.stop();
  });

  it('a signed delivery is 202 and published once keyed by the PD incident id; its redelivery is a duplicate', async () => {
    const body = event('PE2E001');
    const headers = { 'x-pagerduty-signature': signWebhookBody(SECRET, body), 'x-webhook-id': randomUUID() };
    const first = await deliver(body, headers);
    expect(first.status).toBe(202);
    expect(first.body.status).toBe('accepted');
    expect((await deliver(body, headers)).body.status).toBe('duplicate');
    const mine = () => watcher.where((m) => m.value.integrationId === integrationId && m.value.pdIncidentId === 'PE2E001');
    await waitFor(() => mine().length === 1, { what: 'the published delivery' });
    expect(mine()[0]!.key).toBe('PE2E001');
  });

  it('rejects bad signatures (401), non-v3 bodies (400) and unknown integrations (404)', async () => {
    const body = event('PE2E002');
    expect((await deliver(body, { 'x-pagerduty-signature': signWebhookBody('wrong', body) })).status).toBe(401);
    expect((await deliver(body, {})).status).toBe(401);
    const v2 = JSON.stringify({ messages: [] });
    expect((await deliver(v2, { 'x-pagerduty-signature': signWebhookBody(SECRET, v2) })).status).toBe(400);
    expect((await deliver(body, { 'x-pagerduty-signature': signWebhookBody(SECRET, body) }, randomUUID())).status).toBe(404);
  });

  it('after adding a secret (rotation) deliveries signed with the new one, or both, are accepted', async () => {
    const NEW = `whsec-new-${randomUUID()}`;
    const added = await new ApiClient(testStack.gatewayUrl, orgKey).post(`/api/v1/integrations/${integrationId}/webhook-secrets`, { secret: NEW });
    expect(added.status).toBeLessThan(300);
    const body = event('PE2E003');
    await waitFor(async () => (await deliver(body, { 'x-pagerduty-signature': signatureHeader([NEW], body), 'x-webhook-id': randomUUID() })).status === 202, { what: 'the new secret to verify', timeoutMs: 15000, intervalMs: 500 });
    const both = event('PE2E004');
    expect((await deliver(both, { 'x-pagerduty-signature': signatureHeader([SECRET, NEW], both) })).status).toBe(202);
  });

  it('POST /webhooks/:id/test needs an API key of the integration\'s organization and reports pass', async () => {
    expect((await anonymous.post(`/api/v1/webhooks/${integrationId}/test`)).status).toBe(401);
    expect((await new ApiClient(testStack.gatewayUrl, otherOrgKey).post(`/api/v1/webhooks/${integrationId}/test`)).status).toBe(404);
    const report = await new ApiClient(testStack.gatewayUrl, orgKey).post(`/api/v1/webhooks/${integrationId}/test`);
    expect(report.status).toBe(200);
    expect(report.body.result).toBe('pass');
  });
});

import { randomUUID } from 'node:crypto';
import { Topic } from '@incident-sync/contracts';
import { signWebhookBody } from '@incident-sync/pagerduty';
import { ApiClient, testStack, TopicWatcher, uniqueId, waitFor } from '@incident-sync/testing';

type ErrorBody = { error?: { code: string; message: string; field?: string } };

/**
 * Hostile input at the public edge (issue 12 points 2 and 3), through the gateway of the
 * running test stack: each answers 4xx naming the field and changes nothing, sizes are
 * capped in bytes, and one organization's oversized edit never stops another's changes.
 */
describe('input limits and hostile values through the gateway (e2e)', () => {
  const admin = new ApiClient(testStack.gatewayUrl, testStack.adminApiKey);
  const anonymous = new ApiClient(testStack.gatewayUrl);
  const watcher = new TopicWatcher(testStack.kafkaBrokers, [Topic.PlatformIncidentChanged, Topic.PagerDutyWebhookReceived]);
  const SECRET = `whsec-${randomUUID()}`;
  let api: ApiClient;
  let other: ApiClient;
  let incidentId: string;
  let integrationId: string;

  const orgApi = async (): Promise<ApiClient> => {
    const key = await admin.post('/api/v1/api-keys', { organization_id: uniqueId('org'), name: 'limits' });
    expect(key.status).toBe(201);
    return new ApiClient(testStack.gatewayUrl, key.body.api_key);
  };

  beforeAll(async () => {
    await watcher.start();
    api = await orgApi();
    other = await orgApi();
    const created = await api.post('/api/v1/incidents', { title: 'limits', severity: 'SEV-3' });
    expect(created.status).toBe(201);
    incidentId = created.body.id;
    const integration = await api.post('/api/v1/integrations', {
      integration_type: 'pagerduty', name: uniqueId('limits'), base_url: testStack.simulatorUrl, credentials: { token: 'sim-account-token' }, webhook_secret: SECRET,
    });
    expect(integration.status).toBe(201);
    integrationId = integration.body.id;
  });

  afterAll(async () => {
    await watcher.stop();
  });

  const titleOf = async (): Promise<string> => (await api.get<{ title: string }>(`/api/v1/incidents/${incidentId}`)).body.title;

  it('a NUL or a lone surrogate in a JSON string is a 400 naming the field, and nothing changes', async () => {
    for (const raw of ['{"title":"a\\u0000b"}', '{"title":"a\\ud800b"}', '{"escalation_policy":{"id":"P1","name":"x\\u0000"}}']) {
      const res = await api.request<ErrorBody>('PATCH', `/api/v1/incidents/${incidentId}`, raw, { 'content-type': 'application/json' });
      expect(res.status).toBe(400);
      expect(res.body.error?.code).toBe('VALIDATION_FAILED');
      expect(res.body.error?.field).toMatch(/^(title|escalation_policy\.name)$/);
    }
    expect(await titleOf()).toBe('limits');
    const created = await api.request<ErrorBody>('POST', '/api/v1/incidents', '{"title":"x\\u0000","severity":"SEV-2"}', { 'content-type': 'application/json' });
    expect(created.status).toBe(400);
    expect(created.body.error?.field).toBe('title');
  });

  it('a NUL in a query string is a 400 naming the parameter', async () => {
    const res = await api.get<ErrorBody>('/api/v1/incidents?assigned_to=a%00b');
    expect(res.status).toBe(400);
    expect(res.body.error?.field).toBe('assigned_to');
  });

  it.each(['__proto__', 'constructor', 'prototype'])('a %s key is a 400 whose message names the key', async (key) => {
    const res = await api.request<ErrorBody>('PATCH', `/api/v1/incidents/${incidentId}`, `{"title":"polluted","${key}":{"prototype":{"x":1}}}`, { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
    expect(res.body.error?.field).toBe(key);
    expect(res.body.error?.message).toContain(`"${key}"`);
    expect(await titleOf()).toBe('limits');
  });

  it('a webhook-secret id that is not a uuid is a 404, never a 500', async () => {
    for (const id of ['not-a-uuid', '-'.repeat(36), 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz']) {
      const res = await api.delete<ErrorBody>(`/api/v1/integrations/${integrationId}/webhook-secrets/${id}`);
      expect(res.status).toBe(404);
    }
  });

  it('an unknown enum value in a query is a 400 naming it, not an empty 200', async () => {
    for (const path of ['/api/v1/conflicts?status=bogus', `/api/v1/integrations/${integrationId}/conflicts?status=bogus`, '/api/v1/integrations?integration_type=bogus']) {
      const res = await api.get<ErrorBody>(path);
      expect(res.status).toBe(400);
      expect(res.body.error?.field).toMatch(/^(status|integration_type)$/);
    }
    const limit = await api.get<ErrorBody>(`/api/v1/integrations/${integrationId}/links?limit=abc`);
    expect(limit.status).toBe(400);
    expect(limit.body.error?.field).toBe('limit');
  });

  it('a description of 65,536 control characters is refused (413 or 400 naming it), nothing changes, and another organization\'s change still flows', async () => {
    const description = '\u0001'.repeat(65536);
    const res = await api.patch<ErrorBody>(`/api/v1/incidents/${incidentId}`, { description });
    expect([400, 413]).toContain(res.status);
    expect(res.body.error?.field).toMatch(/^(description|body)$/);
    const after = await api.get<{ description: string | null }>(`/api/v1/incidents/${incidentId}`);
    expect(after.body.description).toBeNull();
    // Under the body limit but over the field's byte cap: 400 naming description.
    const capped = await api.patch<ErrorBody>(`/api/v1/incidents/${incidentId}`, { description: '\u0001'.repeat(20000) });
    expect(capped.status).toBe(400);
    expect(capped.body.error?.field).toBe('description');
    expect(capped.body.error?.message).toContain('bytes');

    const theirs = await other.post<{ id: string }>('/api/v1/incidents', { title: 'still flowing', severity: 'SEV-2' });
    expect(theirs.status).toBe(201);
    await waitFor(() => watcher.where((m) => m.value.incidentId === theirs.body.id).length > 0, { what: 'the other organization\'s change on platform.incident.changed' });
  });

  it('a description at its byte cap is accepted and published', async () => {
    const res = await api.patch<{ description: string }>(`/api/v1/incidents/${incidentId}`, { description: 'd'.repeat(65536) });
    expect(res.status).toBe(200);
    await waitFor(() => watcher.where((m) => m.value.incidentId === incidentId && JSON.stringify(m.value).includes('d'.repeat(1000))).length > 0, { what: 'the large change on platform.incident.changed' });
  });

  it('a signed 256 KB webhook is accepted and published', async () => {
    const pdIncidentId = `PBIG${randomUUID().slice(0, 6).toUpperCase()}`;
    const base = { event: { id: `01${randomUUID().replace(/-/g, '').slice(0, 24).toUpperCase()}`, event_type: 'incident.annotated', resource_type: 'incident', occurred_at: new Date().toISOString(), agent: null, client: null, data: { id: pdIncidentId, type: 'incident', title: 'big', padding: '' } } };
    const padding = 'p'.repeat(256 * 1024 - JSON.stringify(base).length);
    const body = JSON.stringify({ event: { ...base.event, data: { ...base.event.data, padding } } });
    expect(Buffer.byteLength(body)).toBe(256 * 1024);
    const res = await anonymous.request('POST', `/api/v1/webhooks/${integrationId}`, body, { 'content-type': 'application/json', 'x-pagerduty-signature': signWebhookBody(SECRET, body), 'x-webhook-id': randomUUID() });
    expect(res.status).toBe(202);
    await waitFor(() => watcher.where((m) => m.value.pdIncidentId === pdIncidentId).length > 0, { what: 'the 256 KB delivery on pagerduty.webhook.received' });
  });
});

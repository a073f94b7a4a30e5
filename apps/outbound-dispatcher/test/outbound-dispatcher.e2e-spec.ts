import { Kafka, logLevel } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { PagerDutyCommandV1, Topic } from '@incident-sync/contracts';
import { ApiClient, testStack, uniqueId, waitFor } from '@incident-sync/testing';

/**
 * The running test stack with the PagerDuty simulator. Commands are produced to
 * `pagerduty.commands.v1` directly, standing in for the sync-engine's decisions.
 */
describe('outbound-dispatcher in the running stack (e2e)', () => {
  const admin = new ApiClient(testStack.gatewayUrl, testStack.adminApiKey);
  const sim = new ApiClient(testStack.simulatorUrl, undefined, { authorization: 'Token token=sim-account-token', accept: 'application/vnd.pagerduty+json;version=2' });
  const org = uniqueId('org');
  let orgApi: ApiClient;
  let otherApi: ApiClient;
  let integrationId: string;
  let slug: string;

  beforeAll(async () => {
    orgApi = new ApiClient(testStack.gatewayUrl, (await admin.post('/api/v1/api-keys', { organization_id: org, name: 'e2e' })).body.api_key);
    otherApi = new ApiClient(testStack.gatewayUrl, (await admin.post('/api/v1/api-keys', { organization_id: uniqueId('org'), name: 'e2e-other' })).body.api_key);
    const created = await orgApi.post('/api/v1/integrations', {
      integration_type: 'pagerduty', name: `dispatcher ${org}`, base_url: testStack.simulatorUrl, credentials: { token: 'sim-account-token' },
      from_email: 'incident-sync-bot@example.com', rate_limit: 120,
    });
    expect(created.status).toBe(201);
    integrationId = created.body.id;
    slug = created.body.slug;
  });

  it('writes a note and an update to a simulator incident (From, v2 Accept) and the status endpoint shows it', async () => {
    // The incident is opened by a "monitoring tool" through the simulator's control API; creates
    // (POST /incidents, idempotency) are covered by the int tests with a simulator of their own,
    // since fault settings on this shared simulator belong to whichever test set them.
    const opened = await sim.post('/sim/incidents', { title: 'e2e target', service_id: 'PSVC001' });
    expect(opened.status).toBe(201);
    const pdIncidentId = opened.body.incident.id as string;
    const platformIncidentId = randomUUID();
    const base = { organizationId: org, integrationId, platformIncidentId, pdIncidentId, issuedAt: new Date().toISOString() };
    const commands: PagerDutyCommandV1[] = [
      { ...base, commandId: randomUUID(), action: 'add_note', note: { content: `e2e note ${platformIncidentId}` } },
      { ...base, commandId: randomUUID(), action: 'update_incident', update: { urgency: 'low', title: 'e2e renamed' } },
    ];
    const producer = new Kafka({ clientId: 'e2e', brokers: testStack.kafkaBrokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    await producer.send({ topic: Topic.PagerDutyCommands, messages: commands.map((c) => ({ key: integrationId, value: JSON.stringify(c), headers: { 'message-id': c.commandId } })) });
    await producer.disconnect();
    const incident = await waitFor(async () => {
      const current = await sim.get(`/incidents/${pdIncidentId}`);
      return current.body.incident?.title === 'e2e renamed' && current.body.incident;
    }, { what: 'the update in the simulator', timeoutMs: 30000, intervalMs: 500 });
    expect(incident.urgency).toBe('low');
    const requests = (await sim.get('/sim/requests')).body.requests as { method: string; path: string; headers: Record<string, string>; body: { note?: { content: string } } | null }[];
    const note = requests.find((r) => r.method === 'POST' && r.path === `/incidents/${pdIncidentId}/notes` && r.body?.note?.content === `e2e note ${platformIncidentId}`);
    expect(note?.headers.from).toBe('incident-sync-bot@example.com');
    expect(note?.headers.accept).toBe('application/vnd.pagerduty+json;version=2');
    const status = await orgApi.get(`/api/v1/integrations/${integrationId}/dispatcher/status`);
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ integration_id: integrationId, rate_limit_per_minute: 120, dead_lettered_count: 0 });
    await waitFor(async () => typeof (await orgApi.get(`/api/v1/integrations/${integrationId}/dispatcher/status`)).body.last_success_at === 'string', { what: 'last_success_at' });
  });

  it('the status of another organization\'s integration is a 404 by id and by slug, and an API key is required', async () => {
    expect((await orgApi.get(`/api/v1/integrations/${slug}/dispatcher/status`)).body.integration_id).toBe(integrationId);
    expect((await otherApi.get(`/api/v1/integrations/${integrationId}/dispatcher/status`)).status).toBe(404);
    expect((await otherApi.get(`/api/v1/integrations/${slug}/dispatcher/status`)).status).toBe(404);
    expect((await new ApiClient(testStack.gatewayUrl).get(`/api/v1/integrations/${integrationId}/dispatcher/status`)).status).toBe(401);
  });
});

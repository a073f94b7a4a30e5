import { Kafka, logLevel } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { PagerDutyCommandV1, Topic } from '@incident-sync/contracts';
import { ApiClient, testStack, uniqueId, waitFor } from '@incident-sync/testing';

/**
 * The running test stack with the PagerDuty simulator. The command is produced to
 * `pagerduty.commands.v1` directly, standing in for the sync-engine's decision.
 */
describe('outbound-dispatcher in the running stack (e2e)', () => {
  const admin = new ApiClient(testStack.gatewayUrl, testStack.adminApiKey);
  const sim = new ApiClient(testStack.simulatorUrl, undefined, { authorization: 'Token token=sim-account-token', accept: 'application/vnd.pagerduty+json;version=2' });
  const org = uniqueId('org');
  let orgApi: ApiClient;
  let otherApi: ApiClient;
  let integrationId: string;

  beforeAll(async () => {
    orgApi = new ApiClient(testStack.gatewayUrl, (await admin.post('/api/v1/api-keys', { organization_id: org, name: 'e2e' })).body.api_key);
    otherApi = new ApiClient(testStack.gatewayUrl, (await admin.post('/api/v1/api-keys', { organization_id: uniqueId('org'), name: 'e2e-other' })).body.api_key);
    const created = await orgApi.post('/api/v1/integrations', {
      integration_type: 'pagerduty', name: `dispatcher ${org}`, base_url: testStack.simulatorUrl, credentials: { token: 'sim-account-token' },
      from_email: 'incident-sync-bot@example.com', rate_limit: 120,
    });
    expect(created.status).toBe(201);
    integrationId = created.body.id;
  });

  it('writes a create to PagerDuty (simulator) with From and incident_key, and the status endpoint shows it', async () => {
    const platformIncidentId = randomUUID();
    const command: PagerDutyCommandV1 = {
      commandId: randomUUID(), organizationId: org, integrationId, platformIncidentId, pdIncidentId: null, action: 'create_incident',
      create: { title: 'e2e create', serviceId: 'PSVC001', incidentKey: platformIncidentId, urgency: 'low' }, issuedAt: new Date().toISOString(),
    };
    const producer = new Kafka({ clientId: 'e2e', brokers: testStack.kafkaBrokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    await producer.send({ topic: Topic.PagerDutyCommands, messages: [{ key: integrationId, value: JSON.stringify(command), headers: { 'message-id': command.commandId } }] });
    await producer.disconnect();
    const found = await waitFor(async () => {
      const list = await sim.get(`/incidents?incident_key=${platformIncidentId}&date_range=all`);
      return list.body.incidents?.length === 1 && list.body.incidents[0];
    }, { what: 'the incident in the simulator', timeoutMs: 30000, intervalMs: 500 });
    expect(found.title).toBe('e2e create');
    const status = await orgApi.get(`/api/v1/integrations/${integrationId}/dispatcher/status`);
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ integration_id: integrationId, rate_limit_per_minute: 120, dead_lettered_count: 0 });
    await waitFor(async () => typeof (await orgApi.get(`/api/v1/integrations/${integrationId}/dispatcher/status`)).body.last_success_at === 'string', { what: 'last_success_at' });
  });

  it('the status of another organization\'s integration is a 404, and an API key is required', async () => {
    expect((await otherApi.get(`/api/v1/integrations/${integrationId}/dispatcher/status`)).status).toBe(404);
    expect((await new ApiClient(testStack.gatewayUrl).get(`/api/v1/integrations/${integrationId}/dispatcher/status`)).status).toBe(401);
  });
});

import { Kafka, logLevel } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { PagerDutyCommandV1, Topic } from '@incident-sync/contracts';
import { ApiClient, testStack, uniqueId, waitFor } from '@incident-sync/testing';

interface DeadLetterItem { id: string; original_topic: string; error_code: string; error_message: string; attempts: number; status: string; payload_preview: string }
interface SimRequest { method: string; path: string; status: number; body: { incident?: { title?: string } } | null }

/**
 * Issue #13 item 3, through the gateway against the running stack and the simulator: a title
 * update PagerDuty rejects with 400 is dead-lettered; replayed while the cause persists it
 * comes back to the DLQ with its history; replayed once the cause is gone it reaches
 * PagerDuty. The command is produced to `pagerduty.commands.v1` directly, standing in for the
 * sync-engine (as in outbound-dispatcher.e2e-spec.ts).
 */
describe('DLQ replay of a PagerDuty command is a real re-drive (e2e)', () => {
  const admin = new ApiClient(testStack.gatewayUrl, testStack.adminApiKey);
  const sim = new ApiClient(testStack.simulatorUrl, undefined, { authorization: 'Token token=sim-account-token', accept: 'application/vnd.pagerduty+json;version=2' });
  const org = uniqueId('org');
  let orgApi: ApiClient;
  let integrationId: string;

  beforeAll(async () => {
    orgApi = new ApiClient(testStack.gatewayUrl, (await admin.post('/api/v1/api-keys', { organization_id: org, name: 'e2e-replay' })).body.api_key);
    const created = await orgApi.post('/api/v1/integrations', {
      integration_type: 'pagerduty', name: `replay ${org}`, base_url: testStack.simulatorUrl, credentials: { token: 'sim-account-token' },
      from_email: 'incident-sync-bot@example.com', rate_limit: 120,
    });
    expect(created.status).toBe(201);
    integrationId = created.body.id;
  });

  afterAll(async () => {
    await sim.delete('/sim/faults');
  });

  const deadLetters = async (): Promise<DeadLetterItem[]> => {
    const listed = await orgApi.get(`/api/v1/integrations/${integrationId}/dlq?limit=200`);
    expect(listed.status).toBe(200);
    // Only dead-lettered commands (a result naming the command could match the preview too).
    return (listed.body.data as DeadLetterItem[]).filter((d) => d.original_topic === Topic.PagerDutyCommands);
  };

  it('a title update rejected with 400, replayed: back to the DLQ with its history while the cause lasts, then it reaches PagerDuty', async () => {
    const opened = await sim.post('/sim/incidents', { title: 'old title', service_id: 'PSVC001' });
    expect(opened.status).toBe(201);
    const pdIncidentId = opened.body.incident.id as string;
    // PagerDuty rejects updates of this one incident with a 400; reads of it still answer.
    expect((await sim.put('/sim/faults', { rest_error_rate: 1, rest_error_status: 400, path: `^/incidents/${pdIncidentId}$`, method: 'PUT' })).status).toBe(200);
    const command: PagerDutyCommandV1 = {
      commandId: randomUUID(), organizationId: org, integrationId, platformIncidentId: randomUUID(), pdIncidentId,
      action: 'update_incident', update: { title: 'replayed title' }, issuedAt: new Date().toISOString(),
    };
    const producer = new Kafka({ clientId: 'e2e-replay', brokers: testStack.kafkaBrokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    await producer.send({ topic: Topic.PagerDutyCommands, messages: [{ key: integrationId, value: JSON.stringify(command), headers: { 'message-id': command.commandId } }] });
    await producer.disconnect();

    const [first] = await waitFor(async () => {
      const found = (await deadLetters()).filter((d) => d.payload_preview.includes(command.commandId));
      return found.length === 1 && found;
    }, { what: 'the rejected update dead-lettered', timeoutMs: 30000, intervalMs: 500 });
    expect(first).toMatchObject({ error_code: 'PAGERDUTY_REJECTED', attempts: 1, status: 'pending' });
    expect(first!.error_message).toMatch(/400/);

    // Replayed while PagerDuty still rejects it: a NEW dead letter, carrying the first one's history.
    const replay1 = await orgApi.post(`/api/v1/dlq/${first!.id}/replay`, {});
    expect(replay1.status).toBe(200);
    expect(replay1.body.status).toBe('replayed');
    const second = await waitFor(async () => (await deadLetters()).find((d) => d.payload_preview.includes(command.commandId) && d.id !== first!.id), { what: 'the replay dead-lettered again', timeoutMs: 30000, intervalMs: 500 });
    expect(second).toMatchObject({ error_code: 'PAGERDUTY_REJECTED', attempts: 2, status: 'pending' });
    expect(second.error_message).toContain('earlier deliveries failed');
    const detail = await orgApi.get(`/api/v1/dlq/${second.id}`);
    expect(detail.body.headers['dlq-replay-of']).toBe(first!.id);
    const rejectedPuts = ((await sim.get('/sim/requests')).body.requests as SimRequest[]).filter((r) => r.method === 'PUT' && r.path === `/incidents/${pdIncidentId}`);
    expect(rejectedPuts.map((r) => r.status)).toEqual([400, 400]);

    // The cause is cleared; the replay reaches PagerDuty and the title changes.
    expect((await sim.delete('/sim/faults')).status).toBe(204);
    const replay2 = await orgApi.post(`/api/v1/dlq/${second.id}/replay`, {});
    expect(replay2.status).toBe(200);
    await waitFor(async () => (await sim.get(`/incidents/${pdIncidentId}`)).body.incident?.title === 'replayed title', { what: 'the replayed title in PagerDuty', timeoutMs: 30000, intervalMs: 500 });
    const puts = ((await sim.get('/sim/requests')).body.requests as SimRequest[]).filter((r) => r.method === 'PUT' && r.path === `/incidents/${pdIncidentId}`);
    expect(puts.map((r) => r.status)).toEqual([400, 400, 200]);
    expect(puts[2]!.body?.incident?.title).toBe('replayed title');
    // Nothing new in the DLQ for it; the dispatcher counted two dead letters.
    expect((await deadLetters()).filter((d) => d.payload_preview.includes(command.commandId))).toHaveLength(2);
    const status = await orgApi.get(`/api/v1/integrations/${integrationId}/dispatcher/status`);
    expect(status.body).toMatchObject({ queue_depth: 0, dead_lettered_count: 2, parked_count: 0 });
  });
});

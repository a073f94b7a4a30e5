import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Producer } from 'kafkajs';
import { PagerDutyWebhookReceivedV1, Topic } from '@incident-sync/contracts';
import {
  withSimFaults, ApiClient, createSyncFixture, disposeFixture, history, linkOf, platformIncident, responder, simControl, SyncFixture, testStack, timeline, triggerInPagerDuty, waitFor,
} from './support/sync-e2e.fixture';

/**
 * Issue #8 end to end: simulated people act in PagerDuty (the simulator), the simulator
 * delivers signed webhooks to the gateway, webhook-ingress verifies and publishes, the
 * sync-engine decides and the incidents service applies — real broker, real database.
 */
describe('sync-engine inbound: PagerDuty → platform (e2e)', () => {
  const SERVICE = 'PSVC002';
  let fx: SyncFixture;
  let pdId: string;
  let incidentId: string;
  let producer: Producer;

  /** The exact bytes the simulator signed (the log keeps the parsed JSON; it was sent compact). */
  const rawBody = (delivery: { body: unknown }): string => (typeof delivery.body === 'string' ? delivery.body : JSON.stringify(delivery.body));
  const incident = (): Promise<Record<string, any>> => platformIncident(fx.api, incidentId);
  const until = <T>(what: string, probe: () => Promise<T | false | undefined>): Promise<T> => waitFor(probe, { what, timeoutMs: 30000, intervalMs: 250 });

  beforeAll(async () => {
    fx = await createSyncFixture({ serviceMappings: [[SERVICE, 'payments']], syncEscalations: true, subscriptionServiceId: SERVICE });
    producer = new Kafka({ clientId: 'sync-e2e', brokers: testStack.kafkaBrokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await disposeFixture(fx);
  });

  it('incident.triggered by a person creates a platform incident and a link (type from the service, severity from urgency and priority)', async () => {
    const triggered = await triggerInPagerDuty({ as: 'carol@example.com', service_id: SERVICE, urgency: 'high', priority: 'P2', title: 'Payments worker stuck' });
    pdId = triggered.id;
    const link = await until('the link', async () => (await linkOf(fx, pdId)) ?? false);
    incidentId = link.platform_incident_id;
    expect(link.pd_incident_number).toBe(triggered.number);
    const created = await until('the platform incident', async () => (await fx.api.get(`/api/v1/incidents/${incidentId}`)).status === 200 && incident());
    expect(created).toMatchObject({ title: 'Payments worker stuck', incident_type: 'payments', severity: 'SEV-2', status: 'open' });
    // The assignee comes from PagerDuty's escalation (a schedule user), mapped by email through GET /users.
    expect(created.assigned_to).toMatch(/@example\.com$/);
    expect(created.external_refs).toEqual([expect.objectContaining({ system: 'pagerduty', id: pdId, integration_id: fx.integrationId })]);
  });

  it('acknowledged → mitigated', async () => {
    await responder(pdId, 'acknowledge', { as: 'carol@example.com' });
    await until('status mitigated', async () => (await incident()).status === 'mitigated');
  });

  it('unacknowledged → open', async () => {
    await responder(pdId, 'unacknowledge', { as: 'carol@example.com' });
    await until('status open', async () => (await incident()).status === 'open');
  });

  it('priority_updated → severity through the priority mapping', async () => {
    await responder(pdId, 'priority', { as: 'carol@example.com', priority: 'P1' });
    await until('severity SEV-1', async () => (await incident()).severity === 'SEV-1');
  });

  it('reassigned → assigned_to through the user mapping (PagerDuty user → email via GET /users)', async () => {
    await responder(pdId, 'reassign', { as: 'carol@example.com', user_id: 'PUSR002' });
    await until('assigned to bob', async () => (await incident()).assigned_to === 'bob@example.com');
  });

  it('a reassignment to a PagerDuty user nobody can map is reported in sync-status as an unknown user, not guessed', async () => {
    const before = await incident();
    const reassigned = (await simControl.get('/sim/deliveries?since=0')).body.deliveries.filter((d: any) => d.incident_id === pdId && d.url.includes(fx.integrationId) && d.event_type === 'incident.reassigned').pop();
    const event = JSON.parse(rawBody(reassigned)).event;
    // PagerDuty names a user our token cannot read (GET /users/PGHOST01 → 404): as webhook-ingress would publish it.
    event.id = `01${randomUUID().replace(/-/g, '').slice(0, 24).toUpperCase()}`;
    event.occurred_at = new Date().toISOString();
    event.data.assignees = [{ id: 'PGHOST01', type: 'user_reference', summary: 'Ghost User' }];
    const message: PagerDutyWebhookReceivedV1 = {
      receiptId: randomUUID(), integrationId: fx.integrationId, organizationId: fx.org, webhookId: randomUUID(), eventId: event.id, eventType: event.event_type,
      resourceType: 'incident', pdIncidentId: pdId, occurredAt: event.occurred_at, receivedAt: new Date().toISOString(), event,
    };
    await producer.send({ topic: Topic.PagerDutyWebhookReceived, messages: [{ key: pdId, value: JSON.stringify(message), headers: { 'message-id': message.receiptId } }] });
    const status = await until('the unknown PagerDuty user in sync-status', async () => {
      const s = (await fx.api.get(`/api/v1/integrations/${fx.slug}/sync-status`)).body;
      return s.unknown_users?.some((u: any) => u.key === 'PGHOST01' && u.side === 'external') && s;
    });
    expect(status.unknown_user_count).toBeGreaterThanOrEqual(1);
    expect((await history(fx, pdId)).some((d) => d.source_id === event.id && d.field === 'assigned_to' && d.outcome === 'unknown-user')).toBe(true);
    expect((await incident()).assigned_to).toBe(before.assigned_to);
  });

  it('delegated → escalation_policy', async () => {
    await responder(pdId, 'delegate', { as: 'carol@example.com', escalation_policy_id: 'PEP0001' });
    await until('escalation policy PEP0001', async () => (await incident()).escalation_policy?.id === 'PEP0001');
    expect((await incident()).escalation_policy.name).toBe('Platform Default');
  });

  it('escalated → a timeline entry with the escalation level and who is on call (sync_escalations on)', async () => {
    await responder(pdId, 'escalate', { as: 'carol@example.com', level: 2 });
    const entry = await until('an escalated timeline entry', async () => (await timeline(fx.api, incidentId)).find((e) => e.kind === 'escalated'));
    // PEP0001 level 2 is Dave (seed).
    expect(entry.message).toMatch(/^Escalated to level 2; on call now: Dave/);
  });

  it('annotated → the note in the timeline', async () => {
    const content = `root cause found ${randomUUID().slice(0, 6)}`;
    await responder(pdId, 'notes', { as: 'bob@example.com', content });
    const entry = await until('the note in the timeline', async () => (await timeline(fx.api, incidentId)).find((e) => e.kind === 'note' && e.message === content));
    expect(entry.message).toBe(content);
  });

  it('resolved → resolved, reopened → open', async () => {
    await responder(pdId, 'resolve', { as: 'bob@example.com' });
    await until('status resolved', async () => (await incident()).status === 'resolved');
    await responder(pdId, 'reopen', { as: 'bob@example.com' });
    await until('status open again', async () => (await incident()).status === 'open');
  });

  it('every decision is in the per-incident history with its reason, by platform id and by PagerDuty id', async () => {
    const byPd = await history(fx, pdId);
    const byPlatform = (await fx.api.get(`/api/v1/sync/incidents/${incidentId}/history`)).body.data;
    expect(byPd.length).toBeGreaterThan(5);
    expect(byPlatform.length).toBeGreaterThanOrEqual(byPd.filter((d: any) => d.platform_incident_id === incidentId).length);
    expect(byPd.map((d: any) => d.outcome)).toEqual(expect.arrayContaining(['created', 'applied']));
    for (const d of byPd) expect(typeof d.reason).toBe('string');
  });

  it('a duplicate delivery changes nothing (the gateway replay is a duplicate; the same event published again is stale)', async () => {
    const before = await incident();
    const entriesBefore = (await timeline(fx.api, incidentId)).length;
    const deliveries = (await simControl.get('/sim/deliveries?since=0')).body.deliveries.filter((d: any) => d.incident_id === pdId && d.url.includes(fx.integrationId) && d.outcome === 'delivered');
    const ack = deliveries.find((d: any) => d.event_type === 'incident.acknowledged');
    expect(ack).toBeDefined();
    // 1. PagerDuty redelivers the same webhook: same body, signature and X-Webhook-Id.
    const replay = await new ApiClient(testStack.gatewayUrl).request('POST', `/api/v1/webhooks/${fx.integrationId}`, rawBody(ack), {
      'content-type': 'application/json', 'x-pagerduty-signature': ack.signature, 'x-webhook-id': ack.webhook_id, 'user-agent': 'PagerDuty-Webhook/V3.0',
    });
    expect(replay.status).toBeLessThan(300);
    expect(replay.body.status).toBe('duplicate');
    // 2. The same event reaches the sync-engine again under a new receipt (at-least-once upstream).
    const event = JSON.parse(rawBody(ack)).event;
    const again: PagerDutyWebhookReceivedV1 = {
      receiptId: randomUUID(), integrationId: fx.integrationId, organizationId: fx.org, webhookId: null, eventId: event.id, eventType: event.event_type,
      resourceType: 'incident', pdIncidentId: pdId, occurredAt: event.occurred_at, receivedAt: new Date().toISOString(), event,
    };
    await producer.send({ topic: Topic.PagerDutyWebhookReceived, messages: [{ key: pdId, value: JSON.stringify(again), headers: { 'message-id': again.receiptId } }] });
    await until('the re-published event to be decided', async () => (await history(fx, pdId)).some((d) => d.source_id === event.id && d.outcome === 'stale'));
    const after = await incident();
    expect(after.version).toBe(before.version);
    expect(after.status).toBe('open');
    expect((await timeline(fx.api, incidentId)).length).toBe(entriesBefore);
  });

  it('a forged or tampered signature gets 401 and changes nothing', async () => {
    const before = await incident();
    const delivered = (await simControl.get('/sim/deliveries?since=0')).body.deliveries.filter((d: any) => d.incident_id === pdId && d.url.includes(fx.integrationId) && d.outcome === 'delivered');
    const original = delivered[delivered.length - 1];
    const tampered = rawBody(original).replace('"status":"triggered"', '"status":"resolved"').replace(/"id":"([0-9A-Z]{26})"/, `"id":"01${'X'.repeat(24)}"`);
    const anonymous = new ApiClient(testStack.gatewayUrl);
    const headers = { 'content-type': 'application/json', 'user-agent': 'PagerDuty-Webhook/V3.0' };
    expect((await anonymous.request('POST', `/api/v1/webhooks/${fx.integrationId}`, tampered, { ...headers, 'x-pagerduty-signature': original.signature, 'x-webhook-id': randomUUID() })).status).toBe(401);
    expect((await anonymous.request('POST', `/api/v1/webhooks/${fx.integrationId}`, rawBody(original), { ...headers, 'x-pagerduty-signature': `v1=${'0'.repeat(64)}`, 'x-webhook-id': randomUUID() })).status).toBe(401);
    // Give a wrongly accepted delivery time to land, then check nothing moved.
    await new Promise((r) => setTimeout(r, 1500));
    expect((await incident()).version).toBe(before.version);
  });

  it('during secret rotation a delivery signed with the previous secret is accepted', async () => {
    const rotated = await simControl.post(`/sim/webhook_subscriptions/${fx.subscriptionId}/rotate_secret`);
    expect(rotated.status).toBe(200);
    // integration-config still holds only the previous secret: the old v1= signature verifies.
    await responder(pdId, 'acknowledge', { as: 'bob@example.com' });
    await until('status mitigated after rotation', async () => (await incident()).status === 'mitigated');
    const last = (await simControl.get('/sim/deliveries?since=0')).body.deliveries.filter((d: any) => d.incident_id === pdId && d.url.includes(fx.integrationId)).pop();
    expect(last.signature.split(',').length).toBe(2);
  });

  it('events for one incident apply in order even when every delivery is duplicated', async () => {
    await withSimFaults({ webhook_duplicate_rate: 1, path: fx.integrationId }, async () => {
      const second = await triggerInPagerDuty({ as: 'carol@example.com', service_id: SERVICE, urgency: 'low', title: 'ordering' });
      const link = await until('the second link', async () => (await linkOf(fx, second.id)) ?? false);
      await until('the second platform incident', async () => (await fx.api.get(`/api/v1/incidents/${link.platform_incident_id}`)).status === 200);
      for (const action of ['acknowledge', 'resolve', 'reopen', 'acknowledge', 'resolve']) await responder(second.id, action, { as: 'carol@example.com' });
      await responder(second.id, 'reopen', { as: 'carol@example.com' });
      await responder(second.id, 'acknowledge', { as: 'carol@example.com' });
      // The platform sees each status exactly in PagerDuty's order (open → mitigated → resolved → open → …), each once.
      const statusChanges = async (): Promise<string[]> => (await timeline(fx.api, link.platform_incident_id)).filter((e) => e.kind === 'status_changed').map((e) => e.new_value);
      const statuses = await until('all seven status changes', async () => { const s = await statusChanges(); return s.length >= 7 && s; });
      expect(statuses).toEqual(['mitigated', 'resolved', 'open', 'mitigated', 'resolved', 'open', 'mitigated']);
      // Every duplicate has been decided by now or is about to be: give them a moment, then nothing more changed.
      await new Promise((r) => setTimeout(r, 1000));
      expect(await statusChanges()).toHaveLength(7);
      expect((await platformIncident(fx.api, link.platform_incident_id)).status).toBe('mitigated');
      const dupes = (await simControl.get('/sim/deliveries?since=0')).body.deliveries.filter((d: any) => d.incident_id === second.id && d.url.includes(fx.integrationId));
      expect(new Set(dupes.map((d: any) => d.event_id)).size).toBeLessThan(dupes.length);
    });
  });

  it('with sync-escalations off, escalated still writes a timeline entry, without level, on-call or policy', async () => {
    const plain = await createSyncFixture({ serviceMappings: [[SERVICE, 'payments']], syncEscalations: false, subscriptionServiceId: SERVICE });
    try {
      const pd = await triggerInPagerDuty({ as: 'carol@example.com', service_id: SERVICE, urgency: 'high', title: 'escalation off' });
      const link = await until('the link', async () => (await linkOf(plain, pd.id)) ?? false);
      await until('the platform incident', async () => (await plain.api.get(`/api/v1/incidents/${link.platform_incident_id}`)).status === 200);
      await responder(pd.id, 'escalate', { as: 'carol@example.com', level: 2 });
      const entry = await until('the escalated entry', async () => (await timeline(plain.api, link.platform_incident_id)).find((e) => e.kind === 'escalated'));
      expect(entry.message).toBe('Escalated by Carol Oncall on PagerDuty');
      expect((await platformIncident(plain.api, link.platform_incident_id)).escalation_policy).toBeNull();
    } finally {
      await disposeFixture(plain);
    }
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyWebhookSignature } from '@incident-sync/pagerduty';
import { bootSim, newIncidentBody, pd, Received, until, webhookReceiver } from '../test/sim-test-harness';
import { compareShape } from '../test/shape';

const FIXTURES = join(__dirname, '..', '..', '..', 'libs', 'pagerduty', 'fixtures', 'webhooks');
const zulip = readdirSync(join(FIXTURES, 'zulip-fixtures')).map((f) => JSON.parse(readFileSync(join(FIXTURES, 'zulip-fixtures', f), 'utf8')).event);
const ping = JSON.parse(readFileSync(join(FIXTURES, 'official', 'pagey.ping.json'), 'utf8')).event;
/** Fields older (2021) captures lack (FACTS §1.1): optional when the fixture does not have them. */
const OPTIONAL_INCIDENT_FIELDS = ['incident_key', 'created_at', 'reopened_at', 'incident_type'];
const ALL_EVENTS = ['incident.triggered', 'incident.acknowledged', 'incident.unacknowledged', 'incident.resolved', 'incident.reassigned', 'incident.escalated', 'incident.delegated', 'incident.priority_updated', 'incident.annotated', 'incident.reopened', 'incident.service_updated'];

type Sim = Awaited<ReturnType<typeof bootSim>>;
type Receiver = Awaited<ReturnType<typeof webhookReceiver>>;

async function subscribe(sim: Sim, url: string, events = ALL_EVENTS, filter: Record<string, string> = { type: 'account_reference' }): Promise<{ id: string; secret: string }> {
  const res = await pd(sim.url)('POST', '/webhook_subscriptions', { webhook_subscription: { type: 'webhook_subscription', delivery_method: { type: 'http_delivery_method', url }, events, filter } });
  expect(res.status).toBe(201);
  return { id: res.body.webhook_subscription.id, secret: res.body.webhook_subscription.delivery_method.secret };
}

const eventsOf = (receiver: Receiver): string[] => receiver.received.map((r) => r.body.event.event_type);
const control = (sim: Sim) => async (path: string, body: unknown = {}): Promise<any> => {
  const res = await fetch(`${sim.url}/sim${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await res.json()) as any;
  if (res.status >= 300) throw new Error(`${path} → ${res.status} ${JSON.stringify(json)}`);
  return json;
};

describe('Webhooks v3 deliveries', () => {
  let sim: Sim;
  let receiver: Receiver;
  beforeEach(async () => {
    sim = await bootSim({ SIM_WEBHOOK_RETRY_DELAYS_MS: '40,80,120', SIM_WEBHOOK_TIMEOUT_MS: 300 });
  });
  afterEach(async () => {
    await sim.close();
    await receiver?.close();
  });

  it('sends every incident event type with the fields and value types of real PagerDuty payloads, signed, with v3 headers', async () => {
    receiver = await webhookReceiver();
    const { id: subId, secret } = await subscribe(sim, receiver.url);
    const api = pd(sim.url);
    const act = control(sim);
    const created = await api('POST', '/incidents', newIncidentBody({ priority: { id: 'PPRI003', type: 'priority_reference' } }));
    const id = created.body.incident.id;
    await act(`/incidents/${id}/acknowledge`, { as: 'bob@example.com' });
    await act(`/incidents/${id}/unacknowledge`, { as: 'bob@example.com' });
    await act(`/incidents/${id}/reassign`, { as: 'alice@example.com', user_id: 'PUSR003' });
    await act(`/incidents/${id}/escalate`, { as: 'alice@example.com', level: 2 });
    await act(`/incidents/${id}/delegate`, { as: 'alice@example.com', escalation_policy_id: 'PEP0002' });
    await act(`/incidents/${id}/priority`, { as: 'alice@example.com', priority: 'P1' });
    await act(`/incidents/${id}/urgency`, { as: 'alice@example.com', urgency: 'low' });
    await act(`/incidents/${id}/notes`, { as: 'carol@example.com', content: 'Rolled back the deploy' });
    await api('PUT', `/incidents/${id}`, { incident: { type: 'incident_reference', service: { id: 'PSVC002', type: 'service_reference' } } });
    await act(`/incidents/${id}/resolve`, { as: 'carol@example.com' });
    await act(`/incidents/${id}/reopen`, { as: 'carol@example.com' });
    await until(() => receiver.received.length >= 11, 5000, '11 webhooks');
    await new Promise((r) => setTimeout(r, 100));

    // Same incident, one subscription: delivered in the order the changes happened. No urgency event (FACTS §1.2).
    expect(eventsOf(receiver)).toEqual(['incident.triggered', 'incident.acknowledged', 'incident.unacknowledged', 'incident.reassigned', 'incident.escalated', 'incident.delegated',
      'incident.priority_updated', 'incident.annotated', 'incident.service_updated', 'incident.resolved', 'incident.reopened']);

    for (const r of receiver.received) {
      const event = r.body.event;
      const fixtures = zulip.filter((f) => f.event_type === event.event_type);
      expect(fixtures.length).toBeGreaterThan(0);
      for (const fixture of fixtures) {
        const optional = event.data.type === 'incident' ? OPTIONAL_INCIDENT_FIELDS.filter((k) => !(k in fixture.data)) : [];
        expect({ type: event.event_type, problems: compareShape(fixture, event, '', optional) }).toEqual({ type: event.event_type, problems: [] });
      }
      // Wire format: compact JSON, PagerDuty's key order (FACTS §1.1), one event per delivery.
      expect(r.raw.toString('utf8')).toBe(JSON.stringify(r.body));
      expect(Object.keys(event)).toEqual(['id', 'event_type', 'resource_type', 'occurred_at', 'agent', 'client', 'data']);
      expect(event.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
      expect(event.occurred_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      // Headers (FACTS §1.3).
      expect(r.headers['user-agent']).toBe('PagerDuty-Webhook/V3.0');
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['x-webhook-subscription']).toBe(subId);
      expect(r.headers['x-webhook-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(r.headers['x-pagerduty-signature']).toMatch(/^v1=[0-9a-f]{64}$/);
      expect(verifyWebhookSignature(r.raw, r.headers['x-pagerduty-signature'] as string, [secret])).toBe(true);
      expect(verifyWebhookSignature(r.raw, r.headers['x-pagerduty-signature'] as string, ['some-other-secret'])).toBe(false);
    }
    // The agent is the acting user: the From user for API writes, the responder for UI actions.
    const agents = receiver.received.map((r) => r.body.event.agent.id);
    expect(agents).toEqual(['PBOT001', 'PUSR002', 'PUSR002', 'PUSR001', 'PUSR001', 'PUSR001', 'PUSR001', 'PUSR003', 'PBOT001', 'PUSR003', 'PUSR003']);
    const reopened = receiver.received[10]!.body.event.data;
    expect(reopened.status).toBe('triggered');
    expect(typeof reopened.reopened_at).toBe('string');
    expect(new Set(receiver.received.map((r) => r.headers['x-webhook-id'])).size).toBe(11);
  });

  it('answers the REST call before the webhook is delivered (asynchronous delivery)', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    receiver = await webhookReceiver(async () => { await gate; return 202; });
    await subscribe(sim, receiver.url);
    const created = await pd(sim.url)('POST', '/incidents', newIncidentBody());
    expect(created.status).toBe(201);
    // The receiver has not answered yet: no attempt is complete, yet the REST answer is here.
    expect(sim.sim.dispatcher.deliveries(0)).toEqual([]);
    await until(() => receiver.received.length === 1, 2000, 'delivery started');
    release();
    await until(() => sim.sim.dispatcher.deliveries(0).some((d) => d.outcome === 'delivered'), 2000, 'delivered');
  });

  it('pings with pagey.ping shaped like PagerDuty\'s example', async () => {
    receiver = await webhookReceiver();
    const { id } = await subscribe(sim, receiver.url, ['incident.triggered']);
    const res = await pd(sim.url)('POST', `/webhook_subscriptions/${id}/ping`);
    expect(res.status).toBe(202);
    const got = await until(() => receiver.received[0], 2000, 'ping');
    expect(compareShape(ping, got.body.event, '', [])).toEqual([]);
    expect(got.body.event.resource_type).toBe('pagey');
  });

  it('user-token writes have the token\'s user as agent; account-token writes the From user', async () => {
    receiver = await webhookReceiver();
    await subscribe(sim, receiver.url, ['incident.triggered']);
    await pd(sim.url, 'sim-user-token', null)('POST', '/incidents', newIncidentBody({ title: 'by alice' }));
    await pd(sim.url, 'sim-account-token', 'dave@example.com')('POST', '/incidents', newIncidentBody({ title: 'by dave' }));
    await until(() => receiver.received.length === 2, 2000, 'two webhooks');
    const byTitle = Object.fromEntries(receiver.received.map((r) => [r.body.event.data.title, r.body.event.agent.id]));
    expect(byTitle).toEqual({ 'by alice': 'PUSR001', 'by dave': 'PUSR004' });
  });

  it('retries 5xx, 429 and timeouts with the same X-Webhook-Id, keeps per-incident FIFO, and does not hold other incidents back', async () => {
    const attemptsById = new Map<string, number>();
    receiver = await webhookReceiver(async (r) => {
      const n = (attemptsById.get(r.headers['x-webhook-id'] as string) ?? 0) + 1;
      attemptsById.set(r.headers['x-webhook-id'] as string, n);
      // The first webhook about incident "A" fails twice (500, then 429), then times out once.
      if (r.body.event.data.title === 'A' && r.body.event.event_type === 'incident.triggered') {
        if (n === 1) return 500;
        if (n === 2) return 429;
        if (n === 3) { await new Promise((res) => setTimeout(res, 450)); return 202; }
      }
      return 202;
    });
    await subscribe(sim, receiver.url);
    const api = pd(sim.url);
    const a = (await api('POST', '/incidents', newIncidentBody({ title: 'A' }))).body.incident.id;
    await api('PUT', `/incidents/${a}`, { incident: { type: 'incident_reference', status: 'acknowledged' } });
    await api('PUT', `/incidents/${a}`, { incident: { type: 'incident_reference', status: 'resolved' } });
    const b = (await api('POST', '/incidents', newIncidentBody({ title: 'B' }))).body.incident.id;
    await api('PUT', `/incidents/${b}`, { incident: { type: 'incident_reference', status: 'resolved' } });

    await until(() => receiver.received.filter((r) => r.body.event.data.id === a).length >= 6, 6000, 'A delivered after retries');
    const forA = receiver.received.filter((r) => r.body.event.data.id === a);
    const forB = receiver.received.filter((r) => r.body.event.data.id === b);
    // Four attempts of the same webhook (same X-Webhook-Id), then the later ones, in order.
    expect(forA.map((r) => r.body.event.event_type)).toEqual(['incident.triggered', 'incident.triggered', 'incident.triggered', 'incident.triggered', 'incident.acknowledged', 'incident.resolved']);
    expect(new Set(forA.slice(0, 4).map((r) => r.headers['x-webhook-id'])).size).toBe(1);
    expect(new Set(forA.slice(0, 4).map((r) => r.body.event.id)).size).toBe(1);
    // B's webhooks were not queued behind A's retries.
    expect(forB.map((r) => r.body.event.event_type)).toEqual(['incident.triggered', 'incident.resolved']);
    expect(forB[1]!.at).toBeLessThan(forA[4]!.at);
    const log = ((await (await fetch(`${sim.url}/sim/deliveries`)).json()) as any).deliveries.filter((d: any) => d.incident_id === a && d.event_type === 'incident.triggered');
    expect(log.map((d: any) => [d.attempt, d.status, d.outcome])).toEqual([[1, 500, 'retrying'], [2, 429, 'retrying'], [3, null, 'retrying'], [4, 202, 'delivered']]);
  });

  it('drops a webhook on other 4xx without retrying, and disables the subscription after the third consecutive drop', async () => {
    receiver = await webhookReceiver(() => 410);
    const { id } = await subscribe(sim, receiver.url, ['incident.triggered']);
    const api = pd(sim.url);
    for (const title of ['one', 'two']) await api('POST', '/incidents', newIncidentBody({ title }));
    await until(() => receiver.received.length === 2, 2000, 'two drops');
    let sub = (await api('GET', `/webhook_subscriptions/${id}`)).body.webhook_subscription;
    expect(sub.delivery_method.temporarily_disabled).toBe(false);
    await api('POST', '/incidents', newIncidentBody({ title: 'three' }));
    await until(async () => (await api('GET', `/webhook_subscriptions/${id}`)).body.webhook_subscription.delivery_method.temporarily_disabled === true, 2000, 'disabled');
    expect(receiver.received.length).toBe(3); // one attempt each: 4xx is never retried
    await api('POST', '/incidents', newIncidentBody({ title: 'four' }));
    await new Promise((r) => setTimeout(r, 200));
    expect(receiver.received.length).toBe(3); // disabled: nothing is queued
    sub = (await api('POST', `/webhook_subscriptions/${id}/enable`)).body.webhook_subscription;
    expect(sub.delivery_method.temporarily_disabled).toBe(false);
    await api('POST', '/incidents', newIncidentBody({ title: 'five' }));
    await until(() => receiver.received.length === 4, 2000, 'delivery after enable');
    expect(receiver.received[3]!.body.event.data.title).toBe('five');
  });

  it('a success resets the drop count: drops must be consecutive to disable', async () => {
    receiver = await webhookReceiver((r) => (r.body.event.data.title.startsWith('ok') ? 200 : 400));
    const { id } = await subscribe(sim, receiver.url, ['incident.triggered']);
    const api = pd(sim.url);
    for (const title of ['bad1', 'bad2', 'ok', 'bad3', 'bad4']) {
      await api('POST', '/incidents', newIncidentBody({ title }));
      await until(() => receiver.received.some((r) => r.body.event.data.title === title), 2000, title);
    }
    expect((await api('GET', `/webhook_subscriptions/${id}`)).body.webhook_subscription.delivery_method.temporarily_disabled).toBe(false);
  });

  it('signs with both secrets during rotation and with the new one after it', async () => {
    receiver = await webhookReceiver();
    const { id, secret } = await subscribe(sim, receiver.url, ['incident.triggered']);
    const rotated = await control(sim)(`/webhook_subscriptions/${id}/rotate_secret`);
    await pd(sim.url)('POST', '/incidents', newIncidentBody({ title: 'during' }));
    const during = await until(() => receiver.received[0], 2000, 'during rotation');
    const header = during.headers['x-pagerduty-signature'] as string;
    expect(header.split(',')).toHaveLength(2);
    expect(verifyWebhookSignature(during.raw, header.split(',')[0], [secret])).toBe(true);
    expect(verifyWebhookSignature(during.raw, header.split(',')[1], [rotated.secret])).toBe(true);
    await control(sim)(`/webhook_subscriptions/${id}/finish_rotation`);
    await pd(sim.url)('POST', '/incidents', newIncidentBody({ title: 'after' }));
    const after = await until(() => receiver.received[1], 2000, 'after rotation');
    expect(verifyWebhookSignature(after.raw, after.headers['x-pagerduty-signature'] as string, [secret])).toBe(false);
    expect(verifyWebhookSignature(after.raw, after.headers['x-pagerduty-signature'] as string, [rotated.secret])).toBe(true);
  });

  it('filters by service and team; an unsubscribed event type is not sent', async () => {
    receiver = await webhookReceiver();
    await subscribe(sim, `${receiver.url}?svc`, ['incident.triggered'], { type: 'service_reference', id: 'PSVC002' });
    await subscribe(sim, `${receiver.url}?team`, ['incident.triggered'], { type: 'team_reference', id: 'PTM0001' });
    const api = pd(sim.url);
    await api('POST', '/incidents', newIncidentBody({ title: 'checkout', service: { id: 'PSVC001', type: 'service_reference' } }));
    await api('POST', '/incidents', newIncidentBody({ title: 'payments', service: { id: 'PSVC002', type: 'service_reference' } }));
    const tools = (await api('POST', '/incidents', newIncidentBody({ title: 'tools', service: { id: 'PSVC003', type: 'service_reference' } }))).body.incident.id;
    await api('PUT', `/incidents/${tools}`, { incident: { type: 'incident_reference', status: 'resolved' } });
    await until(() => receiver.received.length >= 2, 2000, 'filtered deliveries');
    await new Promise((r) => setTimeout(r, 150));
    const got = receiver.received.map((r: Received) => `${r.headers['x-webhook-subscription'] ? '' : ''}${r.body.event.data.title}`).sort();
    expect(got).toEqual(['checkout', 'payments']);
  });

  it('fault injection: duplicates keep their X-Webhook-Id; dropped deliveries never arrive', async () => {
    receiver = await webhookReceiver();
    await subscribe(sim, receiver.url, ['incident.triggered']);
    const faults = async (body: unknown) => fetch(`${sim.url}/sim/faults`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    expect((await faults({ webhook_duplicate_rate: 1 })).status).toBe(200);
    await pd(sim.url)('POST', '/incidents', newIncidentBody({ title: 'dup' }));
    await until(() => receiver.received.length === 2, 2000, 'duplicate');
    expect(receiver.received[0]!.headers['x-webhook-id']).toBe(receiver.received[1]!.headers['x-webhook-id']);
    await faults({ webhook_drop_rate: 1 });
    await pd(sim.url)('POST', '/incidents', newIncidentBody({ title: 'lost' }));
    await until(async () => ((await (await fetch(`${sim.url}/sim/deliveries`)).json()) as any).deliveries.some((d: any) => d.outcome === 'lost'), 2000, 'lost record');
    expect(receiver.received.length).toBe(2);
    await faults({ webhook_delay_rate: 1, webhook_delay_ms: 300 });
    const sent = Date.now();
    await pd(sim.url)('POST', '/incidents', newIncidentBody({ title: 'late' }));
    const late = await until(() => receiver.received.find((r) => r.body.event.data.title === 'late'), 3000, 'delayed delivery');
    expect(late.at - sent).toBeGreaterThanOrEqual(290);
    expect((await faults({ webhook_drop_rate: 2 })).status).toBe(400);
  });
});

import { PagerDutyApiError, PagerDutyClient } from '@incident-sync/pagerduty';
import { validateRequest } from '@incident-sync/pagerduty/openapi';
import { bootSim } from '../test/sim-test-harness';

/** The product's own PagerDutyClient against the simulator: what it sends is what PagerDuty documents. */
describe('PagerDutyClient against the simulator', () => {
  let sim: Awaited<ReturnType<typeof bootSim>>;
  beforeAll(async () => {
    sim = await bootSim({ SIM_RATE_LIMIT_PER_MINUTE: 1000 });
  });
  afterAll(async () => sim.close());

  it('drives an incident through its life; every request validates against the OpenAPI document', async () => {
    const client = new PagerDutyClient({ baseUrl: sim.url, token: 'sim-account-token', fromEmail: 'incident-sync-bot@example.com' });
    const me = await new PagerDutyClient({ baseUrl: sim.url, token: 'sim-bot-token' }).getCurrentUser();
    expect(me.data.user.id).toBe('PBOT001');
    const created = await client.createIncident({ type: 'incident', title: 'From the product', service: { id: 'PSVC001', type: 'service_reference' }, urgency: 'high', body: { type: 'incident_body', details: 'details text' } });
    expect(created.status).toBe(201);
    expect(created.rateLimitRemaining).not.toBeNull();
    const id = created.data.incident.id;
    await client.updateIncident(id, { type: 'incident_reference', status: 'acknowledged' });
    await client.addNote(id, 'synced note');
    await client.updateIncident(id, { type: 'incident_reference', priority: { id: 'PPRI001', type: 'priority_reference' } });
    await client.getIncident(id);
    await client.listIncidents({ 'statuses[]': ['triggered', 'acknowledged'], limit: 10 });
    await client.listLogEntries({ since: new Date(Date.now() - 3600000).toISOString() });
    await client.listAbilities();
    await client.listPriorities();
    await client.getService('PSVC001');
    await client.getEscalationPolicy('PEP0001');
    await client.listOncalls({ 'escalation_policy_ids[]': ['PEP0001'] });
    await client.getSchedule('PSCH001');
    await client.listUsers({ query: 'bob' });
    await client.listWebhookSubscriptions();

    const failure = await client.updateIncident(id, { type: 'incident_reference', status: 'acknowledged' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(PagerDutyApiError);
    expect((failure as PagerDutyApiError).pdCode).toBe(1002);
    expect((failure as PagerDutyApiError).retryable).toBe(false);

    const log = ((await (await fetch(`${sim.url}/sim/requests`)).json()) as any).requests as any[];
    expect(log.length).toBeGreaterThanOrEqual(17);
    const problems = log.map((r) => ({ req: `${r.method} ${r.path}`, errors: validateRequest(r.method, r.path, r.body ?? undefined, { query: r.query, headers: r.headers }) })).filter((p) => p.errors.length);
    expect(problems).toEqual([]);
    expect(log.filter((r) => r.method !== 'GET').every((r) => r.headers.from === 'incident-sync-bot@example.com')).toBe(true);
  });

  it('sees a 429 with its reset time as retryable', async () => {
    await fetch(`${sim.url}/sim/faults`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ storm_requests: 1 }) });
    const error = await new PagerDutyClient({ baseUrl: sim.url, token: 'sim-account-token' }).listPriorities().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PagerDutyApiError);
    expect((error as PagerDutyApiError)).toMatchObject({ status: 429, pdCode: 2020, retryable: true });
    expect((error as PagerDutyApiError).rateLimitResetSeconds).toBeGreaterThan(0);
  });
});

import { randomUUID } from 'node:crypto';
import { SlowAnswerProxy } from '@incident-sync/testing';
import {
  testStack, withSimFaults, createSyncFixture, disposeFixture, history, linkOf, openApiProblems, pdIncident, platformIncident, responder, simApi, SimRequest, simRequests, simRequestSeq,
  SyncFixture, waitFor,
} from './support/sync-e2e.fixture';

/**
 * Issue #9 end to end: platform edits through the REST API reach the simulator as PagerDuty
 * requests (each validated against the official OpenAPI document), through the sync-engine
 * and the outbound-dispatcher — real broker, real database.
 */
describe('sync-engine outbound: platform → PagerDuty (e2e)', () => {
  const SERVICE = 'PSVC003';
  let fx: SyncFixture;
  let incidentId: string;
  let pdId: string;

  const until = <T>(what: string, probe: () => Promise<T | false | undefined>, timeoutMs = 30000): Promise<T> => waitFor(probe, { what, timeoutMs, intervalMs: 250 });
  const patch = async (id: string, body: Record<string, unknown>): Promise<Record<string, any>> => {
    const response = await fx.api.patch(`/api/v1/incidents/${id}`, body);
    expect(response.status).toBe(200);
    return response.body;
  };
  const create = async (body: Record<string, unknown> = {}): Promise<Record<string, any>> => {
    const response = await fx.api.post('/api/v1/incidents', { title: `outbound ${randomUUID().slice(0, 6)}`, severity: 'SEV-2', incident_type: 'infrastructure', ...body });
    expect(response.status).toBe(201);
    return response.body;
  };
  /** The first request for the PagerDuty incident after `since` that satisfies `match`; it must validate against the OpenAPI document. */
  const request = async (since: number, what: string, match: (r: SimRequest) => boolean): Promise<SimRequest> => {
    const found = await until(what, async () => (await simRequests(since, match))[0]);
    expect(openApiProblems(found)).toEqual([]);
    return found;
  };
  const putOf = (id: string) => (r: SimRequest): boolean => r.method === 'PUT' && r.path === `/incidents/${id}` && r.status < 300;

  beforeAll(async () => {
    fx = await createSyncFixture({ serviceMappings: [[SERVICE, 'infrastructure']], syncEscalations: true, subscriptionServiceId: SERVICE, rateLimit: 120 });
  });

  afterAll(async () => {
    await disposeFixture(fx);
  });

  it('a new platform incident of a mapped type is created in PagerDuty with incident_key = the platform incident id; the link was reserved first', async () => {
    const since = await simRequestSeq();
    const created = await create({ title: 'Checkout latency', description: 'p99 above 2 s', severity: 'SEV-1', assigned_to: 'alice@example.com' });
    incidentId = created.id;
    const post = await request(since, 'POST /incidents', (r) => r.method === 'POST' && r.path === '/incidents' && (r.body as any)?.incident?.incident_key === incidentId);
    expect(post.headers['from'] ?? post.headers['From']).toBe('incident-sync-bot@example.com');
    expect((post.body as any).incident).toMatchObject({ title: 'Checkout latency', urgency: 'high', service: { id: SERVICE }, body: { details: 'p99 above 2 s' }, assignments: [{ assignee: { id: 'PUSR001' } }] });
    expect((post.body as any).incident.priority).toMatchObject({ id: 'PPRI001' });
    const link = await until('the link with the PagerDuty id', async () => { const l = await linkOf(fx, incidentId); return l?.pd_incident_id ? l : false; });
    pdId = link.pd_incident_id;
    const listed = await simApi.get(`/incidents?incident_key=${incidentId}&date_range=all`);
    expect(listed.body.incidents).toHaveLength(1);
    // The platform learns where its incident lives in PagerDuty.
    await until('the external ref', async () => (await platformIncident(fx.api, incidentId)).external_refs?.some((r: any) => r.id === pdId));
  });

  it('title, status, severity (urgency + priority), assignee and escalation policy changes become PUT /incidents/{id}', async () => {
    let since = await simRequestSeq();
    await patch(incidentId, { title: 'Checkout down' });
    expect((await request(since, 'title PUT', (r) => putOf(pdId)(r) && (r.body as any).incident.title === 'Checkout down')).body).toBeDefined();

    since = await simRequestSeq();
    await patch(incidentId, { status: 'mitigated' });
    await request(since, 'status PUT', (r) => putOf(pdId)(r) && (r.body as any).incident.status === 'acknowledged');

    since = await simRequestSeq();
    await patch(incidentId, { severity: 'SEV-3' });
    const severity = await request(since, 'severity PUT', (r) => putOf(pdId)(r) && (r.body as any).incident.urgency === 'low');
    expect((severity.body as any).incident.priority).toMatchObject({ id: 'PPRI003' });

    since = await simRequestSeq();
    await patch(incidentId, { assigned_to: 'bob@example.com' });
    const assign = await request(since, 'assignee PUT', (r) => putOf(pdId)(r) && Array.isArray((r.body as any).incident.assignments));
    expect((assign.body as any).incident.assignments).toEqual([{ assignee: { id: 'PUSR002', type: 'user_reference' } }]);

    since = await simRequestSeq();
    await patch(incidentId, { escalation_policy: { id: 'PEP0002' } });
    const ep = await request(since, 'escalation policy PUT', (r) => putOf(pdId)(r) && (r.body as any).incident.escalation_policy !== undefined);
    expect((ep.body as any).incident.escalation_policy).toEqual({ id: 'PEP0002', type: 'escalation_policy_reference' });

    const pd = await until('PagerDuty to hold every value', async () => {
      const i = await pdIncident(pdId);
      return i.title === 'Checkout down' && i.urgency === 'low' && i.escalation_policy.id === 'PEP0002' && i;
    });
    expect(pd.priority.summary).toBe('P3');
  });

  it('a description change after creation and platform notes become PagerDuty notes', async () => {
    let since = await simRequestSeq();
    await patch(incidentId, { description: 'database connection pool exhausted' });
    const note = await request(since, 'description note', (r) => r.method === 'POST' && r.path === `/incidents/${pdId}/notes`);
    expect((note.body as any).note.content).toContain('database connection pool exhausted');

    since = await simRequestSeq();
    expect((await fx.api.post(`/api/v1/incidents/${incidentId}/notes`, { body: 'rolled back the deploy' })).status).toBe(201);
    const copied = await request(since, 'platform note', (r) => r.method === 'POST' && r.path === `/incidents/${pdId}/notes` && String((r.body as any).note.content).includes('rolled back the deploy'));
    expect((copied.body as any).note.content).toContain('rolled back the deploy');
  });

  it('an unmapped email is reported as an unknown user in sync-status, not guessed', async () => {
    const since = await simRequestSeq();
    await patch(incidentId, { assigned_to: 'nobody-here@example.org' });
    const status = await until('the unknown user in sync-status', async () => {
      const s = await fx.api.get(`/api/v1/integrations/${fx.slug}/sync-status`);
      return s.body.unknown_users?.some((u: any) => u.key === 'nobody-here@example.org' && u.side === 'platform') && s.body;
    });
    expect(status.unknown_user_count).toBeGreaterThanOrEqual(1);
    expect((await history(fx, incidentId)).some((d) => d.field === 'assigned_to' && d.outcome === 'unknown-user')).toBe(true);
    expect(await simRequests(since, (r) => putOf(pdId)(r) && Array.isArray((r.body as any).incident.assignments))).toEqual([]);
  });

  it('unassigning on the platform is recorded, not sent (PagerDuty cannot clear an assignee by PUT), and nothing stays pending', async () => {
    const since = await simRequestSeq();
    await patch(incidentId, { assigned_to: null });
    const dropped = await until('the dropped write in the history', async () => (await history(fx, incidentId)).find((d) => d.field === 'assigned_to' && d.outcome === 'write-abandoned'));
    expect(dropped.reason).toMatch(/cannot clear an assignee/);
    expect((await linkOf(fx, incidentId))?.fields.assigned_to.pending_writes.external).toBe(0);
    expect(await simRequests(since, (r) => putOf(pdId)(r) && Array.isArray((r.body as any).incident.assignments))).toEqual([]);
  });

  it('our own writes coming back as webhooks change nothing, and a change applied from PagerDuty is not sent back', async () => {
    // Ours: the status PUT comes back as incident.resolved by the bot user.
    const since = await simRequestSeq();
    const edited = await patch(incidentId, { status: 'resolved' });
    await request(since, 'resolve PUT', (r) => putOf(pdId)(r) && (r.body as any).incident.status === 'resolved');
    await until('the bot webhook to be decided as an echo', async () => (await history(fx, pdId)).some((d) => d.source === 'webhook' && d.event_type === 'incident.resolved' && d.outcome === 'echo'));
    expect((await platformIncident(fx.api, incidentId)).version).toBe(edited.version);

    // Theirs: a person reopens in PagerDuty; the platform follows and nothing goes back.
    const afterEcho = await simRequestSeq();
    await responder(pdId, 'reopen', { as: 'carol@example.com' });
    await until('the platform to reopen', async () => (await platformIncident(fx.api, incidentId)).status === 'open');
    await until('the platform echo to be decided', async () => (await history(fx, incidentId)).some((d) => d.source === 'platform-change' && d.field === 'status' && d.outcome === 'echo' && d.side === 'platform'));
    expect(await simRequests(afterEcho, (r) => r.method !== 'GET' && r.path.startsWith(`/incidents/${pdId}`))).toEqual([]);
  });

  it('a permanent 4xx from PagerDuty lands in the DLQ with the reason', async () => {
    const since = await simRequestSeq();
    await patch(incidentId, { escalation_policy: { id: 'PNOPE99' } });
    const refused = await until('the refused PUT', async () => (await simRequests(since, (r) => r.method === 'PUT' && r.path === `/incidents/${pdId}` && r.status >= 400))[0]);
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    const abandoned = await until('the abandoned write in the history', async () => (await history(fx, incidentId)).find((d) => d.outcome === 'write-abandoned' && d.field === 'escalation_policy'));
    expect(abandoned.reason).toMatch(/PAGERDUTY_REJECTED|40\d/);
    const dispatcher = await fx.api.get(`/api/v1/integrations/${fx.integrationId}/dispatcher/status`);
    expect(dispatcher.body.dead_lettered_count).toBeGreaterThanOrEqual(1);
    // The dead letter itself, with PagerDuty's reason, in dlq-manager; sync-status counts it.
    const letter = await until('the dead letter in dlq-manager', async () => (await fx.api.get(`/api/v1/dlq?integration=${fx.integrationId}&topic=pagerduty.commands.v1`)).body.data?.[0]);
    expect(letter).toMatchObject({ error_code: 'PAGERDUTY_REJECTED', status: 'pending' });
    expect(letter.error_message).toMatch(/PNOPE99|escalation|40\d/i);
    const status = await until('sync-status to count it', async () => { const s = (await fx.api.get(`/api/v1/integrations/${fx.slug}/sync-status`)).body; return s.dlq_size >= 1 && s; });
    expect(status.last_error?.message).toBeTruthy();
  });

  it('a create retried after a timeout leaves exactly one PagerDuty incident', async () => {
    // PagerDuty stores the incident but the answer comes after the dispatcher's 10 s timeout.
    const proxy = new SlowAnswerProxy(testStack.simulatorUrl, (method, path) => method === 'POST' && path === '/incidents', 12000);
    const proxyUrl = await proxy.start();
    try {
      const slow = await createSyncFixture({ serviceMappings: [[SERVICE, 'infrastructure']], subscriptionServiceId: null, baseUrl: proxyUrl });
      const since = await simRequestSeq();
      const made = await slow.api.post('/api/v1/incidents', { title: 'timeout create', severity: 'SEV-2', incident_type: 'infrastructure' });
      expect(made.status).toBe(201);
      const link = await until('the link to learn its PagerDuty id', async () => { const l = await linkOf(slow, made.body.id); return l?.pd_incident_id ? l : false; }, 90000);
      expect(proxy.slowed).toBe(1);
      const posts = await simRequests(since, (r) => r.method === 'POST' && r.path === '/incidents' && (r.body as any)?.incident?.incident_key === made.body.id);
      expect(posts.map((r) => r.status)).toEqual([201]);
      const listed = await simApi.get(`/incidents?incident_key=${made.body.id}&date_range=all`);
      expect(listed.body.incidents).toHaveLength(1);
      expect(listed.body.incidents[0].id).toBe(link.pd_incident_id);
      await disposeFixture(slow);
    } finally {
      await proxy.stop();
    }
  });

  it('with 429 storms and 5xx every change still arrives and the configured rate is never exceeded', async () => {
    const limited = await createSyncFixture({ serviceMappings: [[SERVICE, 'infrastructure']], subscriptionServiceId: null, rateLimit: 30 });
    {
      const since = await simRequestSeq();
      const made = await limited.api.post('/api/v1/incidents', { title: 'storm 0', severity: 'SEV-2', incident_type: 'infrastructure' });
      const id = made.body.id;
      const link = await until('the storm incident in PagerDuty', async () => { const l = await linkOf(limited, id); return l?.pd_incident_id ? l : false; }, 60000);
      await withSimFaults({ storm_requests: 4, rest_error_rate: 0.3, rest_error_status: 503, path: `^/incidents/${link.pd_incident_id}` }, async () => {
      for (let i = 1; i <= 6; i += 1) {
        expect((await limited.api.patch(`/api/v1/incidents/${id}`, { title: `storm ${i}`, severity: i % 2 === 0 ? 'SEV-1' : 'SEV-4' })).status).toBe(200);
      }
      expect((await limited.api.patch(`/api/v1/incidents/${id}`, { status: 'mitigated' })).status).toBe(200);
      // Faults stop only once the sim answered a storm 429 and the dispatcher retried through it.
      await until('a 429 for the storm incident', async () => (await simRequests(since, (r) => r.status === 429 && r.path.startsWith(`/incidents/${link.pd_incident_id}`))).length > 0, 30000);
      });
      const pd = await until('PagerDuty to converge', async () => {
        const i = await pdIncident(link.pd_incident_id);
        return i.title === 'storm 6' && i.urgency === 'high' && i.status === 'acknowledged' && i;
      }, 90000);
      expect(pd.priority.summary).toBe('P1');
      // The dispatcher's requests for this incident (the test's own GET polling excluded).
      const mine = await simRequests(since, (r) => r.path === '/incidents' ? (r.body as any)?.incident?.incident_key === id || r.query?.['incident_key'] === id : r.method !== 'GET' && r.path.startsWith(`/incidents/${link.pd_incident_id}`));
      expect(mine.some((r) => r.status === 429)).toBe(true);
      const times = mine.map((r) => Date.parse(r.time)).sort((a, b) => a - b);
      for (const t of times) expect(times.filter((u) => u >= t && u < t + 60000).length).toBeLessThanOrEqual(30);
      const status = await limited.api.get(`/api/v1/integrations/${limited.slug}/sync-status`);
      expect(status.body.rate_limited_429_count).toBeGreaterThanOrEqual(1);
      await disposeFixture(limited);
    }
  });
});

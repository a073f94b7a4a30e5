import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { signWebhookBody } from '@incident-sync/pagerduty';
import {
  ApiClient, createSyncFixture, disposeFixture, history, linkOf, openApiProblems, pdIncident, platformIncident, responder, simApi, simControl, simRequests, simRequestSeq, SyncFixture,
  linkedFromPagerDuty, testStack, triggerInPagerDuty, waitFor, withSimFaults,
} from './support/sync-e2e.fixture';

/**
 * Issue #14 end to end (real stack + simulator): a paused integration keeps PagerDuty's
 * deliveries and applies them when enabled again; every event type is answered 2xx.
 */
describe('sync-engine drift: paused deliveries (e2e)', () => {
  const SERVICE = 'PSVC003';
  let fx: SyncFixture;
  const until = <T>(what: string, probe: () => Promise<T | false | undefined>, timeoutMs = 30000): Promise<T> => waitFor(probe, { what, timeoutMs, intervalMs: 250 });

  beforeAll(async () => {
    fx = await createSyncFixture({ serviceMappings: [[SERVICE, 'payments']], subscriptionServiceId: SERVICE });
  });

  afterAll(async () => {
    await disposeFixture(fx);
  });

  const deliveriesTo = async (pdId: string, eventType: string): Promise<{ status: number | null; outcome: string }[]> =>
    ((await simControl.get('/sim/deliveries?since=0')).body.deliveries as { incident_id: string; url: string; event_type: string; status: number | null; outcome: string }[])
      .filter((d) => d.incident_id === pdId && d.url.includes(fx.integrationId) && d.event_type === eventType);

  it('a paused integration answers 2xx to a delivery, keeps it, and applies it once enabled again', async () => {
    const triggered = await triggerInPagerDuty({ as: 'carol@example.com', service_id: SERVICE, urgency: 'high' });
    const link = await until('the link', async () => (await linkOf(fx, triggered.id)) ?? false);
    const incidentId: string = link.platform_incident_id;
    await until('the platform incident', async () => (await fx.api.get(`/api/v1/incidents/${incidentId}`)).status === 200);

    expect((await fx.api.patch(`/api/v1/integrations/${fx.slug}`, { enabled: false })).status).toBe(200);
    await responder(triggered.id, 'acknowledge', { as: 'carol@example.com' });
    const answered = await until('the acknowledge delivery', async () => {
      const list = await deliveriesTo(triggered.id, 'incident.acknowledged');
      return list.length > 0 && list;
    });
    expect(answered.every((d) => d.status !== null && d.status >= 200 && d.status < 300)).toBe(true);
    // While paused, nothing is applied.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect((await platformIncident(fx.api, incidentId)).status).toBe('open');
    const status = await fx.api.get(`/api/v1/integrations/${fx.slug}/sync-status`);
    expect(status.body.parked_messages).toBeGreaterThanOrEqual(1);

    expect((await fx.api.patch(`/api/v1/integrations/${fx.slug}`, { enabled: true })).status).toBe(200);
    await until('status mitigated after resume', async () => (await platformIncident(fx.api, incidentId)).status === 'mitigated', 45000);
  });

  it('every event type PagerDuty may send, including ones we ignore, is answered 2xx (paused or not)', async () => {
    const secret = `whsec-${randomUUID()}`;
    expect((await fx.api.post(`/api/v1/integrations/${fx.integrationId}/webhook-secrets`, { secret })).status).toBeLessThan(300);
    const anonymous = new ApiClient(testStack.gatewayUrl);
    const types: [string, Record<string, unknown>][] = [
      ['incident.conference_bridge.updated', { id: 'PIGNORED1', type: 'incident', title: 'x', status: 'triggered' }],
      ['incident.status_update_published', { id: 'SU1', type: 'status_update', incident: { id: 'PIGNORED1', type: 'incident_reference' }, message: 'm' }],
      ['incident.responder.added', { incident: { id: 'PIGNORED1', type: 'incident_reference' }, user: { id: 'PUSR001' } }],
      ['incident.workflow.started', { id: 'W1', type: 'incident_workflow_instance', incident: { id: 'PIGNORED1', type: 'incident_reference' } }],
      ['service.updated', { id: SERVICE, type: 'service' }],
      ['incident.custom_field_values.updated', { id: 'PIGNORED1', type: 'incident_field_values', incident: { id: 'PIGNORED1' } }],
      ['some_future.thing', { id: 'X1', type: 'future' }],
    ];
    for (const enabled of [true, false]) {
      expect((await fx.api.patch(`/api/v1/integrations/${fx.slug}`, { enabled })).status).toBe(200);
      for (const [eventType, data] of types) {
        const body = JSON.stringify({ event: { id: `01${randomUUID().replace(/-/g, '').slice(0, 24).toUpperCase()}`, event_type: eventType, resource_type: eventType.split('.')[0], occurred_at: new Date().toISOString(), agent: null, client: null, data } });
        const sent = () => anonymous.request<{ status?: string }>('POST', `/api/v1/webhooks/${fx.integrationId}`, body, {
          'content-type': 'application/json', 'user-agent': 'PagerDuty-Webhook/V3.0', 'x-pagerduty-signature': signWebhookBody(secret, body), 'x-webhook-id': randomUUID(),
        });
        // The new secret reaches ingress through the config-changed event (or its cache TTL).
        const answer = await until(`${eventType} accepted`, async () => { const r = await sent(); return r.status !== 401 && r; }, 15000);
        expect([eventType, answer.status]).toEqual([eventType, 202]);
      }
    }
    expect((await fx.api.patch(`/api/v1/integrations/${fx.slug}`, { enabled: true })).status).toBe(200);
  });
});

/**
 * Issue #14: drift reconciliation in the sync-engine, on demand and on a schedule, against the
 * real stack and the simulator. Repairs travel as PagerDuty observations through the webhook
 * consumer, so the same rules decide them.
 */
describe('sync-engine drift: reconcile (e2e)', () => {
  const SERVICE = 'PSVC003';
  let fx: SyncFixture;
  const until = <T>(what: string, probe: () => Promise<T | false | undefined>, timeoutMs = 30000): Promise<T> => waitFor(probe, { what, timeoutMs, intervalMs: 250 });
  const reconcile = (body: Record<string, unknown> = {}) => fx.api.post(`/api/v1/integrations/${fx.slug}/reconcile`, body);
  /** A person edits the PagerDuty incident in PagerDuty's UI: title and urgency edits send no webhook (FACTS §1.2). */
  const editInPagerDuty = async (pdId: string, incident: Record<string, unknown>): Promise<void> => {
    const r = await simApi.request('PUT', `/incidents/${pdId}`, { incident: { type: 'incident', ...incident } }, { from: 'carol@example.com', 'content-type': 'application/json' });
    expect(r.status).toBe(200);
  };
  const linked = (title: string): Promise<{ pdId: string; incidentId: string }> => linkedFromPagerDuty(fx, SERVICE, title);

  beforeAll(async () => {
    fx = await createSyncFixture({ conflictStrategy: 'last-write-wins', serviceMappings: [[SERVICE, 'payments']], subscriptionServiceId: SERVICE, syncEscalations: false });
    // Reconcile reads may use half of the 600/min fixture budget: 200 ms between reads keeps the test short.
    expect((await fx.api.patch(`/api/v1/integrations/${fx.slug}`, { reconcile_budget_percent: 50 })).status).toBe(200);
  });

  afterAll(async () => {
    await disposeFixture(fx);
  });

  it('refuses bad input with the field named and changes nothing', async () => {
    const bad = await reconcile({ since: 'yesterday' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(bad.body.error.message).toMatch(/since/);
    const future = await reconcile({ since: new Date(Date.now() + 3600000).toISOString() });
    expect([future.status, future.body.error?.field]).toEqual([400, 'since']);
    const dry = await reconcile({ dry_run: 'yes' });
    expect(dry.status).toBe(400);
    expect(dry.body.error.message).toMatch(/dry_run/);
    expect((await fx.api.post('/api/v1/integrations/no-such-integration/reconcile', {})).status).toBe(404);
    const status = await fx.api.get(`/api/v1/integrations/${fx.slug}/sync-status`);
    expect(status.body.last_reconcile).toBeNull();
  });

  it('an acknowledgement whose webhook the simulator dropped is repaired by an on-demand reconcile', async () => {
    const { pdId, incidentId } = await linked('Checkout queue stuck');
    const before = await simControl.get('/sim/deliveries?since=0');
    const seq = Math.max(0, ...before.body.deliveries.map((d: { seq: number }) => d.seq));
    await withSimFaults({ webhook_drop_rate: 1, path: fx.integrationId }, async () => {
      await responder(pdId, 'acknowledge', { as: 'carol@example.com' });
      await until('the lost delivery', async () => (await simControl.get(`/sim/deliveries?since=${seq}`)).body.deliveries
        .some((d: { incident_id: string; url: string; outcome: string }) => d.incident_id === pdId && d.url.includes(fx.integrationId) && d.outcome === 'lost'));
    });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect((await platformIncident(fx.api, incidentId)).status).toBe('open');

    const pass = await reconcile();
    expect(pass.status).toBe(200);
    expect(pass.body).toMatchObject({ dry_run: false, repairs: { status: 1 } });
    expect(pass.body.incidents_checked).toBeGreaterThanOrEqual(1);
    expect(pass.body.finished_at >= pass.body.started_at).toBe(true);
    expect(pass.body.drift).toContainEqual(expect.objectContaining({ pd_incident_id: pdId, platform_incident_id: incidentId, field: 'status', platform: 'open', pagerduty: 'acknowledged', action: 'repair-queued' }));
    await until('status mitigated after the reconcile', async () => (await platformIncident(fx.api, incidentId)).status === 'mitigated');
    const entries = await history(fx, incidentId);
    expect(entries).toContainEqual(expect.objectContaining({ source: 'reconcile', field: 'status', outcome: 'drift-found' }));
    expect(entries).toContainEqual(expect.objectContaining({ source: 'reconcile', field: 'status', outcome: 'applied' }));
    const status = (await fx.api.get(`/api/v1/integrations/${fx.slug}/sync-status`)).body;
    expect(status.last_reconcile).toMatchObject({ trigger: 'on-demand', repairs: { status: 1 }, errors: 0 });
    expect(status.last_reconcile.incidents_checked).toBe(pass.body.incidents_checked);
  });

  it('a title and an urgency edited in PagerDuty (no webhook) reach the platform after a reconcile; a dry run before it changes nothing', async () => {
    const { pdId, incidentId } = await linked('Search latency');
    await editInPagerDuty(pdId, { title: 'Search down in eu-west', urgency: 'low' });
    const linkBefore = await linkOf(fx, pdId);

    const dry = await reconcile({ dry_run: true });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dry_run: true, repairs: {} });
    const fields = dry.body.drift.filter((d: { pd_incident_id: string }) => d.pd_incident_id === pdId);
    expect(fields).toEqual(expect.arrayContaining([
      expect.objectContaining({ field: 'title', platform: 'Search latency', pagerduty: 'Search down in eu-west', action: 'none (dry run)' }),
      expect.objectContaining({ field: 'severity', platform: 'SEV-2', action: 'none (dry run)' }),
    ]));
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await platformIncident(fx.api, incidentId)).toMatchObject({ title: 'Search latency', severity: 'SEV-2' });
    expect(await linkOf(fx, pdId)).toEqual(linkBefore);
    expect((await history(fx, incidentId)).filter((h) => h.source === 'reconcile')).toEqual([]);

    const seq = await simRequestSeq();
    const pass = await reconcile();
    expect(pass.body.repairs).toMatchObject({ title: 1, severity: 1 });
    // Lists, 100 per request, valid against PagerDuty's OpenAPI document: the open incidents come in bulk, not one GET each.
    const lists = await simRequests(seq, (r) => r.method === 'GET' && r.path === '/incidents');
    expect(lists.some((r) => JSON.stringify(r.query).includes('acknowledged'))).toBe(true);
    expect(lists.flatMap(openApiProblems)).toEqual([]);
    expect(await simRequests(seq, (r) => r.method === 'GET' && r.path === `/incidents/${pdId}`)).toEqual([]);
    await until('title and severity from PagerDuty', async () => {
      const incident = await platformIncident(fx.api, incidentId);
      return incident.title === 'Search down in eu-west' && incident.severity === 'SEV-3';
    });
    // Nothing is written back to PagerDuty for a repair that came from it.
    expect(await pdIncident(pdId)).toMatchObject({ title: 'Search down in eu-west', urgency: 'low' });
  });

  it('a platform edit newer than PagerDuty\'s stale value is not reverted, and reaches PagerDuty once it answers again', async () => {
    const { pdId, incidentId } = await linked('Billing export slow');
    // A person renames it in PagerDuty first (no webhook) …
    await editInPagerDuty(pdId, { title: 'Billing export slow (PD)' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await withSimFaults({ rest_error_rate: 1, rest_error_status: 503, method: 'PUT', path: pdId }, async () => {
      // … then someone renames it on the platform while PagerDuty refuses writes.
      const current = await platformIncident(fx.api, incidentId);
      const edited = await fx.api.patch(`/api/v1/incidents/${incidentId}`, { title: 'Billing export failing', version: current.version });
      expect(edited.status).toBeLessThan(300);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const pass = await reconcile();
      expect(pass.status).toBe(200);
      // PagerDuty's value is dated by its updated_at, before the platform edit: last-write-wins keeps the platform's.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      expect((await platformIncident(fx.api, incidentId)).title).toBe('Billing export failing');
    });
    await until('the platform title on PagerDuty', async () => (await pdIncident(pdId)).title === 'Billing export failing', 90000);
    expect((await platformIncident(fx.api, incidentId)).title).toBe('Billing export failing');
  }, 150000);

  it('im integration reconcile (--dry-run, --format json) and sync-status\'s last reconcile, as documented', async () => {
    const { pdId } = await linked('Queue depth alarm');
    await editInPagerDuty(pdId, { title: 'Queue depth alarm (edited in PD)' });
    const im = (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => new Promise((resolve) => {
      execFile(join(__dirname, '..', '..', '..', 'bin', 'im'), args, { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', IM_API_URL: testStack.gatewayUrl, IM_API_KEY: fx.apiKey }, timeout: 60000 },
        (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, stdout: String(stdout), stderr: String(stderr) }));
    });
    const dry = await im(['integration', 'reconcile', fx.slug, '--dry-run', '--format', 'json']);
    expect({ code: dry.code, stderr: dry.stderr }).toEqual({ code: 0, stderr: '' });
    const summary = JSON.parse(dry.stdout);
    expect(summary).toMatchObject({ dry_run: true, repairs: {} });
    expect(summary.drift).toContainEqual(expect.objectContaining({ pd_incident_id: pdId, field: 'title', pagerduty: 'Queue depth alarm (edited in PD)', action: 'none (dry run)' }));
    const table = await im(['integration', 'reconcile', fx.slug]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/repairs:\s+title=1/);
    expect(table.stdout).toContain('Queue depth alarm (edited in PD)');
    const status = await im(['integration', 'sync-status', fx.slug]);
    expect(status.stdout).toMatch(/last_reconcile:\s+\S+ \(on-demand, \d+ ms\): \d+ incidents checked, repairs title=1/);
    const bad = await im(['integration', 'reconcile', fx.slug, '--since', 'last tuesday']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/since/);
  });

  it('on a schedule: with a short reconcile_interval_seconds, a title edited in PagerDuty arrives without asking', async () => {
    const { pdId, incidentId } = await linked('Login errors');
    expect((await fx.api.patch(`/api/v1/integrations/${fx.slug}`, { reconcile_interval_seconds: 2 })).status).toBe(200);
    await editInPagerDuty(pdId, { title: 'Login errors for SSO users' });
    await until('the scheduled pass to bring the title', async () => (await platformIncident(fx.api, incidentId)).title === 'Login errors for SSO users', 45000);
    // A pass publishes its repairs before it records itself: the title can land first.
    await until('the scheduled pass to be recorded', async () => (await fx.api.get(`/api/v1/integrations/${fx.slug}/sync-status`)).body.last_reconcile?.trigger === 'scheduled', 15000);
    expect((await fx.api.patch(`/api/v1/integrations/${fx.slug}`, { reconcile_interval_seconds: 300 })).status).toBe(200);
  }, 60000);
});

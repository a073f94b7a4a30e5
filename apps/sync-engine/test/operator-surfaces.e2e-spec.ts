import { execFile } from 'node:child_process';
import { join } from 'node:path';
import {
  admin, ApiClient, createSyncFixture, disposeFixture, linkOf, pdIncident, platformIncident, responder, simRequests, simRequestSeq, SyncFixture, testStack, uniqueId, waitFor, withSimFaults,
} from './support/sync-e2e.fixture';

const IM = join(__dirname, '..', '..', '..', 'bin', 'im');

function im(args: string[], apiKey: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(IM, args, { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', IM_API_URL: testStack.gatewayUrl, IM_API_KEY: apiKey }, timeout: 60000 }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/**
 * The operator surfaces through the real `im` binary and the gateway: the manual-review
 * queue (a conflict made by editing both sides while PagerDuty throttles our write),
 * links, history, sync-status and on-call.
 */
describe('sync-engine operator surfaces: conflicts, links, history, sync-status, on-call (e2e)', () => {
  const SERVICE = 'PSVC001';
  let fx: SyncFixture;
  let apiKey: string;
  let incidentId: string;
  let pdId: string;
  const until = <T>(what: string, probe: () => Promise<T | false | undefined>, timeoutMs = 30000): Promise<T> => waitFor(probe, { what, timeoutMs, intervalMs: 250 });

  beforeAll(async () => {
    fx = await createSyncFixture({ conflictStrategy: 'manual-review', serviceMappings: [[SERVICE, 'infrastructure']], subscriptionServiceId: SERVICE });
    apiKey = fx.apiKey;
    const created = await fx.api.post('/api/v1/incidents', { title: 'conflict demo', severity: 'SEV-3', incident_type: 'infrastructure' });
    expect(created.status).toBe(201);
    incidentId = created.body.id;
    const link = await until('the PagerDuty incident with severity agreed', async () => { const l = await linkOf(fx, incidentId); return l?.pd_incident_id && l.fields.severity.agreed ? l : false; }, 90000);
    pdId = link.pd_incident_id;
  });

  afterAll(async () => {
    await disposeFixture(fx);
  });

  // Before the conflict test: its 429 storm pauses every PagerDuty call of the integration until
  // the storm's ratelimit-reset (up to a minute), and an operator's read then answers RATE_LIMITED.
  it('`im integration oncall --schedule-id` shows who is on call now and next', async () => {
    const run = await im(['integration', 'oncall', fx.slug, '--schedule-id', 'PSCH001', '--format', 'json'], apiKey);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const oncall = JSON.parse(run.stdout);
    expect(oncall.schedule_id).toBe('PSCH001');
    expect(oncall.now.length).toBeGreaterThanOrEqual(1);
    expect(['alice@example.com', 'bob@example.com']).toContain(oncall.now[0].email);
    expect(['alice@example.com', 'bob@example.com']).toContain(oncall.next.email);
    expect(oncall.next.email).not.toBe(oncall.now[0].email);
    const table = await im(['integration', 'oncall', fx.slug, '--schedule-id', 'PSCH001'], apiKey);
    expect(table.stdout).toMatch(/^WHEN\s+USER/m);
    expect((await im(['integration', 'oncall', fx.slug, '--schedule-id', 'PNOPE00'], apiKey)).stderr).toMatch(/^error: NOT_FOUND/);
  });

  it('both sides changing severity since they last agreed opens a manual-review conflict; `im conflict resolve` writes the chosen value to both sides', async () => {
    // PagerDuty throttles our PUT for a few seconds, so our write cannot land before the responder's change.
    await withSimFaults({ storm_seconds: 6, path: `^/incidents/${pdId}$` }, async () => {
      expect((await fx.api.patch(`/api/v1/incidents/${incidentId}`, { severity: 'SEV-1' })).status).toBe(200);
      await until('the platform edit to be decided', async () => (await fx.api.get(`/api/v1/integrations/${fx.slug}/history?incident=${incidentId}`)).body.data.some((d: any) => d.source === 'platform-change' && d.field === 'severity'));
      await responder(pdId, 'priority', { as: 'dave@example.com', priority: 'P4' });
      // The responder's change arrives while our write is in flight: the engine waits for that
      // write's result to learn which came first at PagerDuty (the storm's 429 holds it until
      // ratelimit-reset, up to a minute), and only then opens the conflict.
      await until('the conflict', async () => (await fx.api.get(`/api/v1/conflicts?integration=${fx.slug}`)).body.data.length > 0, 100000);
    });
    const listed = await im(['conflict', 'list', '--integration', fx.slug, '--format', 'json'], apiKey);
    expect(listed.code).toBe(0);
    const conflict = JSON.parse(listed.stdout).data[0];
    expect(conflict).toMatchObject({ field: 'severity', status: 'open', platform_incident_id: incidentId, pd_incident_id: pdId, platform_value: 'SEV-1' });
    const table = await im(['conflict', 'list', '--integration', fx.slug], apiKey);
    expect(table.stdout).toMatch(/^ID\s+FIELD/m);
    expect(table.stdout).toContain(conflict.id);
    // Another organization cannot see it.
    const other = new ApiClient(testStack.gatewayUrl, (await admin.post('/api/v1/api-keys', { organization_id: uniqueId('org'), name: 'other' })).body.api_key);
    expect((await other.get(`/api/v1/conflicts/${conflict.id}`)).status).toBe(404);
    // While frozen, the field is written to neither side by later edits.
    const link = await linkOf(fx, incidentId);
    expect(link?.fields.severity.frozen).toBe(true);

    const since = await simRequestSeq();
    const resolved = await im(['conflict', 'resolve', conflict.id, '--take', 'value', '--value', 'SEV-2', '--format', 'json'], apiKey);
    expect(resolved.stderr).toBe('');
    expect(JSON.parse(resolved.stdout)).toMatchObject({ id: conflict.id, status: 'resolved', resolution: 'take-value' });
    await until('the platform to hold SEV-2', async () => (await platformIncident(fx.api, incidentId)).severity === 'SEV-2');
    // The dispatcher honours the storm's ratelimit-reset (up to a minute) before it writes again.
    await until('PagerDuty to hold P2 / high', async () => { const i = await pdIncident(pdId); return i.urgency === 'high' && i.priority?.summary === 'P2'; }, 100000);
    expect((await simRequests(since, (r) => r.method === 'PUT' && r.path === `/incidents/${pdId}`)).length).toBeGreaterThanOrEqual(1);
    expect((await linkOf(fx, incidentId))?.fields.severity.frozen).toBe(false);
    const again = await im(['conflict', 'resolve', conflict.id, '--ignore'], apiKey);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^error: CONFLICT/);
  }, 240000);

  it('`im integration links` shows the link, last sync and per-field state; `history` shows every decision with its reason', async () => {
    const json = await im(['integration', 'links', fx.slug, '--format', 'json'], apiKey);
    expect(json.code).toBe(0);
    const link = JSON.parse(json.stdout).data.find((l: any) => l.platform_incident_id === incidentId);
    expect(link).toMatchObject({ pd_incident_id: pdId, last_direction: expect.any(String), fields: { title: { platform: 'conflict demo', external: 'conflict demo', frozen: false } } });
    expect(link.last_synced_at).toEqual(expect.any(String));
    const table = await im(['integration', 'links', fx.slug], apiKey);
    expect(table.stdout).toMatch(/^PLATFORM INCIDENT\s+PAGERDUTY\s+LAST SYNC/m);
    const history = await im(['integration', 'history', fx.slug, '--incident', pdId, '--format', 'json'], apiKey);
    const outcomes = JSON.parse(history.stdout).data.map((d: any) => d.outcome);
    expect(outcomes).toEqual(expect.arrayContaining(['created', 'conflict-opened', 'conflict-resolved']));
  });

  it('`im integration sync-status` reports the queue, tokens, lags, unknown users, conflicts and DLQ size', async () => {
    const run = await im(['integration', 'sync-status', fx.slug, '--format', 'json'], apiKey);
    expect(run.code).toBe(0);
    const status = JSON.parse(run.stdout);
    for (const key of ['outbound_queue_depth', 'tokens_available', 'last_success_at', 'last_error', 'rate_limited_429_count', 'outbound_lag_seconds', 'inbound_lag_seconds', 'unknown_users', 'open_conflicts', 'dlq_size']) {
      expect(status).toHaveProperty(key);
    }
    expect(status.open_conflicts).toBe(0);
    expect(status.tokens_available).toEqual(expect.any(Number));
    expect(status.last_success_at).toEqual(expect.any(String));
    const table = await im(['integration', 'sync-status', fx.slug], apiKey);
    expect(table.stdout).toMatch(/^outbound_queue_depth:/m);
  });

  it('a PagerDuty acknowledgement while a conflict-free field is synced keeps flowing (sanity after resolve)', async () => {
    await responder(pdId, 'acknowledge', { as: 'alice@example.com' });
    // The responder's user lookup may wait out the storm's pause (up to a minute).
    await until('mitigated', async () => (await platformIncident(fx.api, incidentId)).status === 'mitigated', 90000);
  });
});

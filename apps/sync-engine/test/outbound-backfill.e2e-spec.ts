import { execFile } from 'node:child_process';
import { join } from 'node:path';
import {
  createSyncFixture, disposeFixture, history, simControl, simRequests, simRequestSeq, SimRequest, SyncFixture, testStack, uniqueId, waitFor,
} from './support/sync-e2e.fixture';

const ROOT = join(__dirname, '..', '..', '..');
/** Platform incidents the outbound backfill must create in PagerDuty. */
const COUNT = 30;
const UNMAPPED = 3;
const CLOSED = 2;
const SERVICE = 'PSVC003';
const TYPE = 'ob-database';

function run(file: string, args: string[], env: Record<string, string>, timeoutMs: number): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { env: { ...process.env, ...env }, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, stdout: String(stdout), stderr: String(stderr) }));
  });
}

/**
 * Issue #14 outbound backfill end to end (real stack + simulator): platform incidents created
 * while the integration was disabled (so the live path created nothing) are created in
 * PagerDuty exactly once each by `--direction outbound`, even when the sync-engine is SIGKILLed
 * halfway and the backfill is run again; a second run creates nothing; a dry run creates
 * nothing; an incident type that maps to no service is reported; resolved ones are skipped;
 * `--direction both` imports PagerDuty's incidents and pushes the platform's in one job.
 */
describe('sync-engine outbound backfill (e2e)', () => {
  let fx: SyncFixture;
  let since: string;
  const ids = new Set<string>();
  const unmappedIds = new Set<string>();
  const closedIds = new Set<string>();
  const until = <T>(what: string, probe: () => Promise<T | false | undefined>, timeoutMs = 60000): Promise<T> => waitFor(probe, { what, timeoutMs, intervalMs: 500 });
  const job = async (): Promise<Record<string, any>> => (await fx.api.get(`/api/v1/integrations/${fx.slug}/backfill`)).body;
  const links = async (): Promise<Record<string, any>[]> => ((await fx.api.get(`/api/v1/integrations/${fx.slug}/links?limit=1000`)).body.data ?? []) as Record<string, any>[];
  const createdIn = (set: Set<string>) => (r: SimRequest): boolean =>
    r.method === 'POST' && r.path === '/incidents' && set.has(String((r.body as { incident?: { incident_key?: string } } | null)?.incident?.incident_key));
  const im = (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
    run(join(ROOT, 'bin', 'im'), args, { IM_API_URL: testStack.gatewayUrl, IM_API_KEY: fx.apiKey }, 300000);
  const setEnabled = async (enabled: boolean): Promise<void> => {
    expect((await fx.api.patch(`/api/v1/integrations/${fx.slug}`, { enabled })).status).toBe(200);
    // Paused: wait until the sync-engine itself sees it (a backfill is refused), so no live create slips through.
    if (!enabled) {
      await until('the sync-engine sees the integration paused', async () =>
        (await fx.api.post(`/api/v1/integrations/${fx.slug}/backfill`, { since: new Date().toISOString(), dry_run: true })).body.error?.code === 'INTEGRATION_PAUSED');
    }
  };
  /** The sync-engine has decided (not created: paused) on each incident's live events: none can be live-created once enabled again. */
  const decidedWhilePaused = async (incidents: string[]): Promise<void> => {
    await until('the live events of the incidents made while paused decided', async () => {
      for (const id of incidents) {
        const entries = await history(fx, id);
        if (!entries.some((e) => e.outcome === 'not-created')) return false;
      }
      return true;
    }, 120000);
  };
  const incident = async (title: string, over: Record<string, unknown> = {}): Promise<string> => {
    const created = await fx.api.post('/api/v1/incidents', { title, severity: 'SEV-2', incident_type: TYPE, ...over });
    expect(created.status).toBe(201);
    return created.body.id as string;
  };

  beforeAll(async () => {
    // Writes at 600/min with a 20% background share: the backfill pushes 2 creates a second.
    fx = await createSyncFixture({ subscriptionServiceId: null, serviceMappings: [[SERVICE, TYPE]], rateLimit: 600 });
    expect((await fx.api.patch(`/api/v1/integrations/${fx.slug}`, { reconcile_budget_percent: 20 })).status).toBe(200);
    await setEnabled(false);
    since = new Date(Date.now() - 1000).toISOString();
    const tag = uniqueId('ob');
    for (let i = 0; i < COUNT; i += 10) {
      (await Promise.all(Array.from({ length: Math.min(10, COUNT - i) }, (_, j) => incident(`${tag} #${i + j}`, { severity: (i + j) % 2 === 0 ? 'SEV-2' : 'SEV-3' })))).forEach((id) => ids.add(id));
    }
    for (let i = 0; i < UNMAPPED; i += 1) unmappedIds.add(await incident(`${tag} unmapped #${i}`, { incident_type: 'ob-nobody-takes-this' }));
    for (let i = 0; i < CLOSED; i += 1) {
      const id = await incident(`${tag} over #${i}`);
      expect((await fx.api.patch(`/api/v1/incidents/${id}`, { status: 'resolved' })).status).toBe(200);
      closedIds.add(id);
    }
    await decidedWhilePaused([...ids, ...unmappedIds, ...closedIds]);
    await setEnabled(true);
  }, 300000);

  afterAll(async () => {
    await disposeFixture(fx);
  });

  it('the incidents created while the integration was disabled were not created by the live path', async () => {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect((await links()).filter((l) => ids.has(l.platform_incident_id))).toHaveLength(0);
  });

  it('refuses an outbound backfill of an integration that does not sync outbound, naming the field', async () => {
    expect((await fx.api.patch(`/api/v1/integrations/${fx.slug}`, { sync_direction: 'inbound' })).status).toBe(200);
    try {
      const refused = await until('the direction change seen by the sync-engine', async () => {
        const r = await fx.api.post(`/api/v1/integrations/${fx.slug}/backfill`, { since, direction: 'outbound', dry_run: true });
        return r.status === 400 && r;
      });
      expect(refused.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'direction' });
      expect(refused.body.error.message).toContain('does not sync outbound');
    } finally {
      expect((await fx.api.patch(`/api/v1/integrations/${fx.slug}`, { sync_direction: 'bidirectional' })).status).toBe(200);
    }
  }, 90000);

  it('a dry run reports what it would create, the unmapped and the closed ones, and creates nothing', async () => {
    const seq = await simRequestSeq();
    const dry = await until('a dry run accepted', async () => {
      const r = await im(['integration', 'backfill', fx.slug, '--since', since, '--direction', 'outbound', '--dry-run', '--format', 'json']);
      return r.code === 0 && r;
    });
    const result = JSON.parse(dry.stdout);
    expect(result).toMatchObject({ status: 'succeeded', dry_run: true, direction: 'outbound' });
    expect(result.outbound.counts).toMatchObject({
      total: COUNT + UNMAPPED + CLOSED, scanned: COUNT + UNMAPPED + CLOSED, queued: COUNT, unmapped: UNMAPPED, skipped_closed: CLOSED, already_linked: 0, created: 0, pending: 0,
    });
    const plan = result.outbound.plan as { incident_id: string; action: string; detail: string }[];
    expect(new Set(plan.map((p) => p.incident_id))).toEqual(ids);
    expect(plan.every((p) => p.action === 'create-in-pagerduty' && p.detail.includes(SERVICE))).toBe(true);
    expect(new Set((result.outbound.unmapped as { incident_id: string }[]).map((u) => u.incident_id))).toEqual(unmappedIds);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(await simRequests(seq, (r) => r.method === 'POST' && r.path === '/incidents')).toHaveLength(0);
    expect((await links()).filter((l) => ids.has(l.platform_incident_id))).toHaveLength(0);
  }, 180000);

  it('creates each incident in PagerDuty exactly once, even when the sync-engine is killed halfway and it is run again; a further run creates nothing', async () => {
    const seq = await simRequestSeq();
    const started = Date.now();
    const post = await fx.api.post(`/api/v1/integrations/${fx.slug}/backfill`, { since, direction: 'outbound' });
    expect(post.status).toBe(202);
    expect(post.body.outbound).toMatchObject({ counts: expect.objectContaining({ created: 0 }) });
    await until('a part created', async () => {
      const j = await job();
      return j.outbound.counts.created >= 6 && j.outbound.counts.queued < COUNT && j;
    }, 120000);
    const crash = await run(join(ROOT, 'scripts', 'stack.sh'), ['crash', 'sync-engine', '--profile', 'test'], {}, 300000);
    expect({ code: crash.code, stderr: crash.stderr.slice(-500) }).toMatchObject({ code: 0 });
    const again = await im(['integration', 'backfill', fx.slug, '--since', since, '--direction', 'outbound']);
    expect({ code: again.code, stderr: again.stderr }).toEqual({ code: 0, stderr: '' });
    expect(again.stdout).toMatch(new RegExp(`backfill \\S+ succeeded: outbound: read ${COUNT + UNMAPPED + CLOSED}/${COUNT + UNMAPPED + CLOSED}, queued \\d+, created \\d+`));
    expect(again.stdout).toContain(`${UNMAPPED} platform incidents are not pushed`);
    const seconds = (Date.now() - started) / 1000;
    const final = await until('every incident created', async () => {
      const j = await job();
      return j.outbound.counts.created >= COUNT && j;
    }, 120000);
    expect(final.status).toBe('succeeded');
    expect(final.runs).toBeGreaterThanOrEqual(2);

    const mine = await until('every link has its PagerDuty incident', async () => {
      const l = (await links()).filter((x) => ids.has(x.platform_incident_id) && x.pd_incident_id);
      return l.length >= COUNT && l;
    });
    expect(mine).toHaveLength(COUNT);
    expect(new Set(mine.map((l) => l.pd_incident_id)).size).toBe(COUNT);
    // PagerDuty got one successful create per incident, none for the unmapped or closed ones.
    const creates = await simRequests(seq, createdIn(ids));
    const keys = creates.filter((r) => r.status === 201).map((r) => (r.body as { incident: { incident_key: string } }).incident.incident_key);
    expect(keys.sort()).toEqual([...ids].sort());
    expect(await simRequests(seq, createdIn(new Set([...unmappedIds, ...closedIds])))).toHaveLength(0);

    // Run again: everything is linked, nothing is created.
    const seq2 = await simRequestSeq();
    const third = await im(['integration', 'backfill', fx.slug, '--since', since, '--direction', 'outbound', '--format', 'json']);
    expect(third.code).toBe(0);
    const thirdJob = JSON.parse(third.stdout);
    expect(thirdJob.outbound.counts).toMatchObject({ queued: 0, already_queued: 0, already_linked: COUNT, unmapped: UNMAPPED, skipped_closed: CLOSED });
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(await simRequests(seq2, (r) => r.method === 'POST' && r.path === '/incidents')).toHaveLength(0);
    console.log(`outbound backfill: ${COUNT} incidents created in PagerDuty in ${seconds.toFixed(1)} s (rate_limit 600/min, 20% background share, including a sync-engine crash and resume)`);
  }, 600000);

  it('--direction both imports PagerDuty\'s incidents and pushes the platform\'s in one job, with counts per direction', async () => {
    await setEnabled(false);
    const since2 = new Date(Date.now() - 1000).toISOString();
    const tag = uniqueId('both');
    const platformIds = new Set<string>();
    for (let i = 0; i < 4; i += 1) platformIds.add(await incident(`${tag} platform #${i}`));
    const pdIds = new Set<string>();
    await decidedWhilePaused([...platformIds]);
    for (let i = 0; i < 3; i += 1) {
      const r = await simControl.post('/sim/incidents', { title: `${tag} pagerduty #${i}`, service_id: SERVICE, urgency: 'high' });
      expect(r.status).toBe(201);
      pdIds.add(r.body.incident.id as string);
    }
    await setEnabled(true);
    const seq = await simRequestSeq();
    const both = await until('a both backfill accepted', async () => {
      const r = await im(['integration', 'backfill', fx.slug, '--since', since2, '--direction', 'both', '--format', 'json']);
      return r.code === 0 && r;
    }, 120000);
    const result = JSON.parse(both.stdout);
    expect(result).toMatchObject({ status: 'succeeded', direction: 'both' });
    expect(result.counts.queued).toBeGreaterThanOrEqual(pdIds.size);
    expect(result.outbound.counts).toMatchObject({ queued: platformIds.size, unmapped: 0 });
    const all = await until('both directions linked', async () => {
      const l = await links();
      const inbound = l.filter((x) => pdIds.has(x.pd_incident_id));
      const outbound = l.filter((x) => platformIds.has(x.platform_incident_id) && x.pd_incident_id);
      return inbound.length >= pdIds.size && outbound.length >= platformIds.size && { inbound, outbound };
    });
    expect(all.inbound).toHaveLength(pdIds.size);
    expect(all.outbound).toHaveLength(platformIds.size);
    // The imported ones are not pushed back; each platform one is created once.
    const creates = (await simRequests(seq, (r) => r.method === 'POST' && r.path === '/incidents' && r.status === 201))
      .map((r) => (r.body as { incident: { incident_key: string } }).incident.incident_key);
    expect(creates.sort()).toEqual([...platformIds].sort());
  }, 300000);
});

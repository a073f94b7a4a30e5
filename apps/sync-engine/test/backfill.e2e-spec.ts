import { execFile } from 'node:child_process';
import { join } from 'node:path';
import {
  createSyncFixture, disposeFixture, platformIncident, simControl, simRequests, simRequestSeq, SyncFixture, testStack, uniqueId, waitFor,
} from './support/sync-e2e.fixture';

const ROOT = join(__dirname, '..', '..', '..');
const COUNT = 500;
const SERVICE = 'PSVC002';

/** Runs a command of this repository; resolves with its exit code and output. */
function run(file: string, args: string[], env: Record<string, string>, timeoutMs: number): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { env: { ...process.env, ...env }, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, stdout: String(stdout), stderr: String(stderr) }));
  });
}

/**
 * Issue #14 backfill end to end (real stack + simulator): 500 PagerDuty incidents that existed
 * before the integration (no webhook subscription delivers them) are created and linked
 * exactly once each, even when the sync-engine is SIGKILLed halfway and the backfill is run
 * again; a dry run changes nothing. Runs at the default rate limit (120/min) and prints the
 * throughput (not asserted).
 */
describe('sync-engine backfill (e2e)', () => {
  let fx: SyncFixture;
  let since: string;
  let tag: string;
  const pdIds = new Set<string>();
  const until = <T>(what: string, probe: () => Promise<T | false | undefined>, timeoutMs = 60000): Promise<T> => waitFor(probe, { what, timeoutMs, intervalMs: 500 });
  const job = async (): Promise<Record<string, any>> => (await fx.api.get(`/api/v1/integrations/${fx.slug}/backfill`)).body;
  const myLinks = async (): Promise<Record<string, any>[]> =>
    ((await fx.api.get(`/api/v1/integrations/${fx.slug}/links?limit=1000`)).body.data as Record<string, any>[]).filter((l) => pdIds.has(l.pd_incident_id));
  const im = (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
    run(join(ROOT, 'bin', 'im'), args, { IM_API_URL: testStack.gatewayUrl, IM_API_KEY: fx.apiKey }, 300000);

  beforeAll(async () => {
    since = new Date(Date.now() - 1000).toISOString();
    tag = uniqueId('bf');
    // The incidents exist before the integration: nothing will deliver them.
    for (let i = 0; i < COUNT; i += 25) {
      const batch = await Promise.all(Array.from({ length: Math.min(25, COUNT - i) }, async (_, j) => {
        const r = await simControl.post('/sim/incidents', { title: `${tag} #${i + j}`, service_id: SERVICE, urgency: (i + j) % 2 === 0 ? 'high' : 'low' });
        if (r.status !== 201) throw new Error(`sim trigger answered ${r.status}`);
        return r.body.incident.id as string;
      }));
      batch.forEach((id) => pdIds.add(id));
    }
    // The default rate limit (120/min); no webhook subscription; an unmapped service follows the live default.
    fx = await createSyncFixture({ subscriptionServiceId: null, rateLimit: 120 });
    expect((await fx.api.patch(`/api/v1/integrations/${fx.slug}`, { default_incident_type: 'backfilled' })).status).toBe(200);
  }, 300000);

  afterAll(async () => {
    await disposeFixture(fx);
  });

  it('refuses a bad request naming the field, and changes nothing', async () => {
    const bad = await fx.api.post(`/api/v1/integrations/${fx.slug}/backfill`, { since: 'last tuesday' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'since' });
    const direction = await fx.api.post(`/api/v1/integrations/${fx.slug}/backfill`, { since, direction: 'sideways' });
    expect(direction.status).toBe(400);
    expect(direction.body.error.field).toBe('direction');
    expect((await fx.api.get(`/api/v1/integrations/${fx.slug}/backfill`)).status).toBe(404);
  });

  it('a dry run reports what it would create and link, and changes nothing', async () => {
    const dry = await im(['integration', 'backfill', fx.slug, '--since', since, '--dry-run', '--format', 'json']);
    expect({ code: dry.code, stderr: dry.stderr }).toEqual({ code: 0, stderr: '' });
    const result = JSON.parse(dry.stdout);
    expect(result).toMatchObject({ status: 'succeeded', dry_run: true });
    const mine = (result.plan as { pd_incident_id: string; action: string; detail: string }[]).filter((p) => pdIds.has(p.pd_incident_id));
    expect(mine).toHaveLength(COUNT);
    expect(mine.every((p) => p.action === 'create-and-link' && p.detail.includes('type backfilled'))).toBe(true);
    expect(result.counts.queued).toBeGreaterThanOrEqual(COUNT);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(await myLinks()).toHaveLength(0);
    expect((await fx.api.get('/api/v1/incidents?limit=10')).body.data ?? []).toHaveLength(0);
  }, 180000);

  it('links and imports each of 500 incidents exactly once, even when the sync-engine is killed halfway and it is run again', async () => {
    const seq = await simRequestSeq();
    const started = Date.now();
    const post = await fx.api.post(`/api/v1/integrations/${fx.slug}/backfill`, { since });
    expect(post.status).toBe(202);
    // Kill the sync-engine once part of the incidents are queued and linked.
    await until('a part linked', async () => {
      const j = await job();
      return j.counts.linked >= 100 && j.counts.scanned < j.counts.total && j;
    }, 180000);
    const crash = await run(join(ROOT, 'scripts', 'stack.sh'), ['crash', 'sync-engine', '--profile', 'test'], {}, 300000);
    expect({ code: crash.code, stderr: crash.stderr.slice(-500) }).toMatchObject({ code: 0 });
    // A second invocation while the job's holder is dead resumes it (or finds it already resumed).
    const again = await im(['integration', 'backfill', fx.slug, '--since', since]);
    expect({ code: again.code, stderr: again.stderr }).toEqual({ code: 0, stderr: '' });
    expect(again.stdout).toMatch(/backfill \S+ succeeded: read \d+\/\d+, queued \d+, linked \d+/);
    await until('every incident linked', async () => (await myLinks()).length >= COUNT, 300000);
    const seconds = (Date.now() - started) / 1000;
    const final = await job();
    expect(final.status).toBe('succeeded');
    expect(final.runs).toBeGreaterThanOrEqual(2);

    // A run after it links nothing twice: everything is already linked.
    const third = await im(['integration', 'backfill', fx.slug, '--since', since, '--format', 'json']);
    expect(third.code).toBe(0);
    const thirdJob = JSON.parse(third.stdout);
    expect(thirdJob.counts).toMatchObject({ queued: 0, already_queued: 0 });
    expect(thirdJob.counts.already_linked).toBeGreaterThanOrEqual(COUNT);

    await new Promise((resolve) => setTimeout(resolve, 5000));
    const links = await myLinks();
    expect(links).toHaveLength(COUNT);
    expect(new Set(links.map((l) => l.pd_incident_id)).size).toBe(COUNT);
    expect(new Set(links.map((l) => l.platform_incident_id)).size).toBe(COUNT);
    // Each platform incident exists once, with PagerDuty's data and the unmapped-service default type.
    const sample = links.slice(0, 20);
    for (const link of sample) {
      const incident = await platformIncident(fx.api, link.platform_incident_id);
      expect(incident.title).toMatch(new RegExp(`^${tag} #\\d+$`));
      expect(incident.incident_type).toBe('backfilled');
    }
    const listed: Record<string, any>[] = [];
    for (let cursor: string | null = null; ;) {
      const page: { data: Record<string, any>[]; next_cursor: string | null } = (await fx.api.get(`/api/v1/incidents?limit=200${cursor ? `&cursor=${cursor}` : ''}`)).body;
      listed.push(...page.data);
      cursor = page.next_cursor;
      if (cursor === null) break;
    }
    const titles = listed.map((i) => i.title as string).filter((t) => t.startsWith(`${tag} #`));
    expect(titles).toHaveLength(COUNT);
    expect(new Set(titles).size).toBe(COUNT);
    // No PagerDuty incident was created back (they came from PagerDuty).
    expect(await simRequests(seq, (r) => r.method === 'POST' && r.path === '/incidents')).toHaveLength(0);
    console.log(`backfill: ${COUNT} incidents linked in ${seconds.toFixed(1)} s (${(COUNT / seconds).toFixed(1)}/s at rate_limit 120/min, including a sync-engine crash and resume), ${final.pagerduty_requests} PagerDuty requests`);
  }, 600000);
});

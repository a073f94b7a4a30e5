/**
 * Outbound backfill throughput (issue #14), against a running stack: N platform incidents are
 * made while the integration is paused (the live path creates nothing), then
 * `POST …/backfill {direction: outbound}` pushes them; reported: creates per minute from the
 * job's start to the last PagerDuty create, against the integration's rate limit and its
 * background share (`reconcile_budget_percent`), which paces the backfill's creates.
 *   node -r ./tools/register-paths.js dist/bench/outbound-backfill.js [count=24] [rate_limit=120] [percent=10]
 * (the defaults are the product's: rate_limit 120/min, reconcile_budget_percent 10).
 */
import { call, must, setUpIntegration, target, tearDown, waitUntil } from './bench-support';

interface SimRequest { seq: number; time: string; method: string; path: string; status: number; body: { incident?: { incident_key?: string } } | null }
interface Job { id: string; status: string; created_at: string; outbound: { counts: { queued: number; created: number; total: number | null } } | null }

async function main(): Promise<void> {
  const [count = 24, rateLimit = 120, percent = 10] = process.argv.slice(2).map(Number);
  const bench = await setUpIntegration({ rateLimit, incidentType: 'bench' });
  const path = `/api/v1/integrations/${bench.slug}`;
  await must(call(target.gateway, 'PATCH', path, { enabled: false, reconcile_budget_percent: percent }, bench.orgKey), 'pause');
  // Wait until the sync-engine sees the pause (a backfill is refused), so no live create slips through.
  await waitUntil(async () => ((await call<{ error?: { code?: string } }>(target.gateway, 'POST', `${path}/backfill`, { since: new Date().toISOString(), dry_run: true }, bench.orgKey)).body.error?.code === 'INTEGRATION_PAUSED' ? true : undefined), 60000, 'the pause seen');
  const since = new Date(Date.now() - 1000).toISOString();
  const ids = new Set<string>();
  for (let i = 0; i < count; i += 1) {
    ids.add((await must(call<{ id: string }>(target.gateway, 'POST', '/api/v1/incidents', { title: `backfill bench ${i}`, severity: 'SEV-3', incident_type: 'bench' }, bench.orgKey), 'create incident')).id);
  }
  await must(call(target.gateway, 'PATCH', path, { enabled: true }, bench.orgKey), 'resume');
  const seq = (await must(call<{ last_seq: number }>(target.simulator, 'GET', '/sim/requests?since=999999999'), 'sim seq')).last_seq;
  const job = await waitUntil(async () => {
    const r = await call<Job>(target.gateway, 'POST', `${path}/backfill`, { since, direction: 'outbound' }, bench.orgKey);
    return r.status < 300 ? r.body : undefined;
  }, 60000, 'the backfill accepted');
  const done = await waitUntil(async () => {
    const j = (await call<Job>(target.gateway, 'GET', `${path}/backfill`, undefined, bench.orgKey)).body;
    return j.outbound && j.outbound.counts.created >= count ? j : undefined;
  }, 3600000, 'every incident created in PagerDuty');
  const creates = (await must(call<{ requests: SimRequest[] }>(target.simulator, 'GET', `/sim/requests?since=${seq}`), 'sim requests')).requests
    .filter((r) => r.method === 'POST' && r.path === '/incidents' && r.status === 201 && ids.has(String(r.body?.incident?.incident_key)));
  const first = Date.parse(job.created_at);
  const last = Math.max(...creates.map((r) => Date.parse(r.time)));
  const minutes = (last - first) / 60000;
  const perMinute = creates.length / minutes;
  console.log(`outbound backfill: ${creates.length}/${count} incidents created in PagerDuty in ${(minutes * 60).toFixed(1)} s = ${perMinute.toFixed(1)}/min `
    + `(rate_limit ${rateLimit}/min, background share ${percent}% = ${((rateLimit * percent) / 100).toFixed(1)}/min; job ${done.id} ${done.status})`);
  await tearDown(bench);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

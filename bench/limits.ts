/**
 * Limiter scenarios (issue #16):
 *  - coalescing: 100 title edits to 10 linked incidents within one second → PagerDuty requests;
 *  - rate-limit use: a backlog of platform notes (each its own PagerDuty request, never merged)
 *    under an integration limit; the highest request count in any 60 s window (never above the
 *    limit), the average rate as a fraction of the limit, 429s received.
 */
import { call, must, setUpIntegration, target, tearDown } from './bench-support';
import { createLinkedIncidents } from './outbound';
import { SimLogFollower, SimRequest, pool, progress, sleep } from './bench-kit';
import { highestInWindow, shortestSpan } from './bench-math';

export interface CoalescingResult { edits: number; incidents: number; requests: number; finalTitlesArrived: number }
/**
 * `highestInAnyWindow`: every request to the run's incidents with the account token (the
 * dispatcher's writes and any reads, which count against PagerDuty's per-key limit too);
 * `highestWritesInAnyWindow`: the dispatcher's writes only (what its token bucket spends).
 */
export interface RateLimitResult { limitPerMinute: number; measuredSeconds: number; requests: number; byMethod: Record<string, number>; highestInAnyWindow: number; highestWritesInAnyWindow: number; shortestSpanOfLimitPlusOneWritesMs: number | null; windowSeconds: number; fractionOfLimit: number; rateLimited429: number }


export async function coalescingScenario(): Promise<CoalescingResult> {
  const bench = await setUpIntegration({ rateLimit: 120, incidentType: 'bench' });
  try {
    const incidents = await createLinkedIncidents(bench, 10, 'bench coalescing');
    const requests = new SimLogFollower<SimRequest>('requests');
    await requests.start();
    const finalTitle = new Map<string, string>();
    const edits: { platformId: string; title: string }[] = [];
    for (let round = 0; round < 10; round += 1) {
      for (const incident of incidents) {
        const title = `coalesce ${round} ${incident.pdId}`;
        finalTitle.set(incident.pdId, title);
        edits.push({ platformId: incident.platformId, title });
      }
    }
    // All 100 within one second: ten rounds of ten, 100 ms apart.
    for (let round = 0; round < 10; round += 1) {
      const started = Date.now();
      await Promise.all(edits.slice(round * 10, round * 10 + 10).map((e) => must(call(target.gateway, 'PATCH', `/api/v1/incidents/${e.platformId}`, { title: e.title }, bench.orgKey), 'coalescing edit')));
      await sleep(Math.max(0, 100 - (Date.now() - started)));
    }
    const paths = new Set(incidents.map((i) => `/incidents/${i.pdId}`));
    const deadline = Date.now() + 60000;
    let arrived = 0;
    for (;;) {
      await requests.read();
      arrived = incidents.filter((i) => requests.entries.some((r) => r.path === `/incidents/${i.pdId}` && r.body?.incident?.title === finalTitle.get(i.pdId))).length;
      if (arrived === incidents.length || Date.now() > deadline) break;
      await sleep(500);
    }
    await sleep(3000); // anything still in flight for these incidents
    await requests.stop();
    const made = requests.entries.filter((r) => r.method === 'PUT' && paths.has(r.path)).length;
    return { edits: edits.length, incidents: incidents.length, requests: made, finalTitlesArrived: arrived };
  } finally {
    await tearDown(bench);
  }
}

export async function rateLimitScenario(limitPerMinute: number, measureSeconds: number): Promise<RateLimitResult> {
  const bench = await setUpIntegration({ rateLimit: limitPerMinute, incidentType: 'bench' });
  try {
    const incidents = await createLinkedIncidents(bench, 5, 'bench backlog');
    // Wait for the bucket to refill after the set-up's creates (ten seconds' worth at most).
    await sleep(10000);
    // A backlog longer than the measurement: 1.5× what the limit allows in it.
    const notes = Math.ceil(((limitPerMinute * measureSeconds) / 60) * 1.5) + 20;
    const requests = new SimLogFollower<SimRequest>('requests');
    await requests.start();
    progress(`  ${notes} platform notes queued at once against ${limitPerMinute}/min; measuring ${measureSeconds} s`);
    await pool(Array.from({ length: notes }, (_, i) => i), 20, (i) => must(call(target.gateway, 'POST', `/api/v1/incidents/${incidents[i % incidents.length]!.platformId}/notes`, { body: `backlog note ${i}` }, bench.orgKey), 'note'));
    const mine = (r: SimRequest) => incidents.some((i) => r.path.startsWith(`/incidents/${i.pdId}`));
    let first: number | null = null;
    while (first === null) {
      await requests.read();
      const r = requests.entries.find(mine);
      if (r) first = Date.parse(r.time);
      else await sleep(200);
    }
    const end = first + measureSeconds * 1000;
    while (Date.now() < end + 1000) {
      await sleep(Math.min(5000, end + 1000 - Date.now()));
      progress(`  … backlog ${Math.max(0, Math.round((end - Date.now()) / 1000))} s to go`);
    }
    await requests.stop();
    const inWindow = requests.entries.filter((r) => mine(r) && Date.parse(r.time) >= first! && Date.parse(r.time) < end);
    const windowMs = 60000;
    const byMethod: Record<string, number> = {};
    for (const r of inWindow) byMethod[r.method] = (byMethod[r.method] ?? 0) + 1;
    const highest = highestInWindow(inWindow.map((r) => Date.parse(r.time)), windowMs);
    const writeTimes = inWindow.filter((r) => r.method !== 'GET').map((r) => Date.parse(r.time));
    const highestWrites = highestInWindow(writeTimes, windowMs);
    const perMinute = (inWindow.filter((r) => r.method !== 'GET').length / measureSeconds) * 60;
    return { limitPerMinute, measuredSeconds: measureSeconds, requests: inWindow.length, byMethod, highestInAnyWindow: highest, highestWritesInAnyWindow: highestWrites, shortestSpanOfLimitPlusOneWritesMs: shortestSpan(writeTimes, limitPerMinute + 1), windowSeconds: windowMs / 1000, fractionOfLimit: Math.round((perMinute / limitPerMinute) * 1000) / 1000, rateLimited429: inWindow.filter((r) => r.status === 429).length };
  } finally {
    await tearDown(bench);
  }
}

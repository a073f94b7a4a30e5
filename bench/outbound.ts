/**
 * Outbound figures (issue #9), against a running stack:
 *  A. latency from a platform edit (the incident's updated_at) to the PagerDuty request
 *     (the simulator's request log), for edits spaced under the rate limit;
 *  B. request rate over a 2-minute backlog, as a fraction of the configured limit;
 *  C. PagerDuty requests per platform edit during a burst of 100 edits to 10 incidents.
 *   node -r ./tools/register-paths.js dist/bench/outbound.js [A|B|C ...]
 */
import { BenchIntegration, call, must, setUpIntegration, summary, target, tearDown, waitUntil } from './bench-support';

interface SimRequest { seq: number; time: string; method: string; path: string; status: number; body: { incident?: { title?: string } } | null }

async function requestsSince(seq: number): Promise<{ requests: SimRequest[]; last_seq: number }> {
  return must(call(target.simulator, 'GET', `/sim/requests?since=${seq}`), 'sim requests');
}

async function lastSeq(): Promise<number> {
  return (await requestsSince(0)).last_seq;
}

export async function createLinkedIncidents(bench: BenchIntegration, count: number, label: string): Promise<{ platformId: string; pdId: string }[]> {
  const created: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const incident = await must(call<{ id: string }>(target.gateway, 'POST', '/api/v1/incidents', { title: `${label} ${i}`, severity: 'SEV-2', incident_type: 'bench' }, bench.orgKey), 'create incident');
    created.push(incident.id);
  }
  const pdOf = new Map<string, string>();
  await waitUntil(async () => {
    const links = await call<{ data: { pd_incident_id: string | null; platform_incident_id: string }[] }>(target.gateway, 'GET', `/api/v1/integrations/${bench.slug}/links`, undefined, bench.orgKey);
    for (const l of links.body?.data ?? []) if (l.pd_incident_id) pdOf.set(l.platform_incident_id, l.pd_incident_id);
    return created.every((id) => pdOf.has(id)) ? true : undefined;
  }, 300000, 'incidents created in PagerDuty');
  return created.map((platformId) => ({ platformId, pdId: pdOf.get(platformId)! }));
}

async function latency(): Promise<void> {
  const bench = await setUpIntegration({ rateLimit: 600, incidentType: 'bench' });
  const incidents = await createLinkedIncidents(bench, 10, 'bench latency');
  const samples: number[] = [];
  for (let i = 0; i < 100; i += 1) {
    const target_ = incidents[i % incidents.length]!;
    const title = `latency edit ${i} ${Date.now()}`;
    const seq = await lastSeq();
    const edited = await must(call<{ updated_at: string }>(target.gateway, 'PATCH', `/api/v1/incidents/${target_.platformId}`, { title }, bench.orgKey), 'edit');
    const request = await waitUntil(async () => (await requestsSince(seq)).requests.find((r) => r.method === 'PUT' && r.path === `/incidents/${target_.pdId}` && r.body?.incident?.title === title), 60000, 'the PagerDuty request');
    samples.push(Date.parse(request.time) - Date.parse(edited.updated_at));
    await new Promise((r) => setTimeout(r, 250)); // ~4 edits/s: well under 600/min
  }
  console.log(summary('A. platform edit → PagerDuty request (rate limit 600/min)', samples));
  await tearDown(bench);
}

async function backlog(): Promise<void> {
  const limit = 60;
  const bench = await setUpIntegration({ rateLimit: limit, incidentType: 'bench' });
  const seq = await lastSeq();
  // 180 creates at 60/min is a 3-minute backlog; measure the first 2 minutes of it.
  await Promise.all(Array.from({ length: 180 }, (_, i) => must(call(target.gateway, 'POST', '/api/v1/incidents', { title: `backlog ${i}`, severity: 'SEV-3', incident_type: 'bench' }, bench.orgKey), 'create')));
  const first = await waitUntil(async () => (await requestsSince(seq)).requests.find((r) => r.method === 'POST' && r.path === '/incidents'), 60000, 'the first create');
  const start = Date.parse(first.time);
  await new Promise((r) => setTimeout(r, Math.max(0, start + 120000 - Date.now()) + 1000));
  const inWindow = (await requestsSince(seq)).requests.filter((r) => r.path.startsWith('/incidents') && Date.parse(r.time) >= start && Date.parse(r.time) < start + 120000);
  const perMinute = inWindow.length / 2;
  console.log(`B. backlog: ${inWindow.length} requests in 120 s = ${perMinute.toFixed(1)}/min against a limit of ${limit}/min → ${(perMinute / limit).toFixed(3)} of the limit`);
  await tearDown(bench);
}

async function burst(): Promise<void> {
  const bench = await setUpIntegration({ rateLimit: 120, incidentType: 'bench' });
  const incidents = await createLinkedIncidents(bench, 10, 'bench burst');
  const seq = await lastSeq();
  const finalTitle = new Map<string, string>();
  const edits: Promise<unknown>[] = [];
  for (let round = 0; round < 10; round += 1) {
    for (const incident of incidents) {
      const title = `burst ${round} ${incident.pdId}`;
      finalTitle.set(incident.pdId, title);
      edits.push(must(call(target.gateway, 'PATCH', `/api/v1/incidents/${incident.platformId}`, { title }, bench.orgKey), 'burst edit'));
    }
    await Promise.all(edits.splice(0));
  }
  await waitUntil(async () => {
    const requests = (await requestsSince(seq)).requests;
    return incidents.every((i) => requests.some((r) => r.path === `/incidents/${i.pdId}` && r.body?.incident?.title === finalTitle.get(i.pdId))) ? true : undefined;
  }, 300000, 'every final title in PagerDuty');
  await new Promise((r) => setTimeout(r, 3000));
  const pdIds = new Set(incidents.map((i) => `/incidents/${i.pdId}`));
  const sent = (await requestsSince(seq)).requests.filter((r) => r.method === 'PUT' && pdIds.has(r.path));
  console.log(`C. burst: 100 edits to 10 incidents → ${sent.length} PagerDuty requests = ${(sent.length / 100).toFixed(2)} requests per edit`);
  await tearDown(bench);
}

async function main(): Promise<void> {
  const parts = process.argv.slice(2).length ? process.argv.slice(2) : ['A', 'B', 'C'];
  if (parts.includes('A')) await latency();
  if (parts.includes('C')) await burst();
  if (parts.includes('B')) await backlog();
}

// Run as a script; bench/run.ts imports createLinkedIncidents only.
if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}

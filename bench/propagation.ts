/**
 * Propagation scenarios (issue #16):
 *  - inbound: PagerDuty responders add notes at a steady rate in the simulator; time from the
 *    webhook leaving the simulator (its delivery log, first attempt's sent_at) to the platform
 *    committing the note (the timeline entry's created_at); notes that never arrive are lost.
 *  - outbound: platform title edits at a steady rate across many linked incidents, limits raised
 *    so the limiter is not what is measured; time from the edit committing (updated_at) to the
 *    PUT arriving at the simulator (its request log). The dispatcher's token gauge is sampled
 *    meanwhile: time waiting for rate-limit tokens is reported apart.
 */
import { randomUUID } from 'node:crypto';
import { BenchIntegration, call, must, setUpIntegration, target, tearDown, waitUntil } from './bench-support';
import { createLinkedIncidents } from './outbound';
import { Latency, SimDelivery, SimLogFollower, SimRequest, cpuSince, latency, pool, progress, quick, readGauge, sleep, snapshot, steadyRate } from './bench-kit';

/** `cpuSeconds`: per service, from the first change sent until the last one landed (set-up excluded). */
export interface InboundResult { rate: number; seconds: number; incidents: number; notes: number; sendFailures: number; landed: number; lost: number; latencyMs: Latency; cpuSeconds: Record<string, number> }
export interface OutboundResult { rate: number; seconds: number; incidents: number; cpuSeconds: Record<string, number>; edits: number; arrived: number; coalesced: number; lostFinal: number; latencyMs: Latency; tokenWait: { samples: number; emptyBucketSamples: number; minTokens: number | null } }

async function triggerLinked(bench: BenchIntegration, count: number): Promise<{ pdId: string; platformId: string }[]> {
  const pdIds: string[] = [];
  await pool(Array.from({ length: count }, (_, i) => i), 5, async (i) => {
    const created = await must(call<{ incident: { id: string } }>(target.simulator, 'POST', '/sim/incidents', { title: `bench inbound ${i}`, service_id: 'PSVC001', urgency: 'high', as: 'alice@example.com' }), 'sim trigger');
    pdIds.push(created.incident.id);
  });
  const platformOf = new Map<string, string>();
  await waitUntil(async () => {
    const links = await call<{ data: { pd_incident_id: string; platform_incident_id: string }[] }>(target.gateway, 'GET', `/api/v1/integrations/${bench.slug}/links`, undefined, bench.orgKey);
    for (const l of links.body?.data ?? []) platformOf.set(l.pd_incident_id, l.platform_incident_id);
    return pdIds.every((id) => platformOf.has(id)) ? true : undefined;
  }, 180000, 'PagerDuty incidents linked on the platform');
  return pdIds.map((pdId) => ({ pdId, platformId: platformOf.get(pdId)! }));
}

export async function inboundScenario(rate: number, seconds: number, incidentCount: number): Promise<InboundResult> {
  const bench = await setUpIntegration({ rateLimit: 60000, incidentType: 'bench' });
  try {
    const incidents = await triggerLinked(bench, incidentCount);
    progress(`  ${incidents.length} PagerDuty incidents linked; notes at ${rate}/s for ${seconds} s`);
    const run = randomUUID().slice(0, 8);
    const deliveries = new SimLogFollower<SimDelivery>('deliveries');
    await deliveries.start();
    const cpuStart = snapshot();
    const sent = await steadyRate(rate, seconds, (i) => must(call(target.simulator, 'POST', `/sim/incidents/${incidents[i % incidents.length]!.pdId}/notes`, { as: 'alice@example.com', content: `bn-${run}-${i}` }), 'sim note'));
    const tokenOf = (text: string | undefined) => /bn-[0-9a-f]{8}-(\d+)/.exec(text ?? '')?.[1];
    const landedAt = new Map<string, number>();
    // Every note must reach a platform timeline; give the backlog up to a minute after the last one.
    const deadline = Date.now() + 60000;
    while (landedAt.size < sent.sent && Date.now() < deadline) {
      await pool(incidents, 4, async (incident) => {
        const timeline = await call<{ data: { kind: string; message: string | null; created_at: string }[] }>(target.gateway, 'GET', `/api/v1/incidents/${incident.platformId}/timeline`, undefined, bench.orgKey);
        for (const e of timeline.body?.data ?? []) {
          const token = e.kind === 'note' && e.message?.includes(`bn-${run}-`) ? tokenOf(e.message) : undefined;
          if (token !== undefined && !landedAt.has(token)) landedAt.set(token, Date.parse(e.created_at));
        }
      });
      progress(`  … ${landedAt.size}/${sent.sent} notes on platform timelines`);
      if (landedAt.size < sent.sent) await sleep(2000);
    }
    const cpuSeconds = cpuSince(cpuStart);
    await deliveries.stop();
    const firstSent = new Map<string, number>();
    for (const d of deliveries.entries) {
      const token = d.event_type === 'incident.annotated' ? tokenOf(d.body?.event?.data?.content) : undefined;
      if (token !== undefined && d.attempt === 1 && !firstSent.has(token)) firstSent.set(token, d.sent_at);
    }
    const samples: number[] = [];
    for (const [token, at] of landedAt) {
      const left = firstSent.get(token);
      if (left !== undefined) samples.push(at - left);
    }
    return { rate, seconds, incidents: incidentCount, notes: sent.sent, sendFailures: sent.failed, landed: landedAt.size, lost: sent.sent - sent.failed - landedAt.size, latencyMs: latency(samples), cpuSeconds };
  } finally {
    await tearDown(bench);
  }
}

export async function outboundScenario(rate: number, seconds: number, incidentCount: number): Promise<OutboundResult> {
  const bench = await setUpIntegration({ rateLimit: 60000, incidentType: 'bench' });
  try {
    const incidents = await createLinkedIncidents(bench, incidentCount, 'bench outbound');
    progress(`  ${incidents.length} platform incidents linked; title edits at ${rate}/s for ${seconds} s`);
    const requests = new SimLogFollower<SimRequest>('requests');
    await requests.start();
    const tokens: number[] = [];
    const sampler = setInterval(() => {
      void readGauge('outbound-dispatcher', 'incident_sync_pagerduty_tokens_available', bench.integrationId).then((v) => { if (v !== null) tokens.push(v); }, () => undefined);
    }, 250);
    const cpuStart = snapshot();
    const edits: { pdId: string; title: string; committedAt: number; index: number }[] = [];
    const sent = await steadyRate(rate, seconds, async (i) => {
      const incident = incidents[i % incidents.length]!;
      const title = `ob ${i} ${randomUUID().slice(0, 6)}`;
      const edited = await must(call<{ updated_at: string }>(target.gateway, 'PATCH', `/api/v1/incidents/${incident.platformId}`, { title }, bench.orgKey), 'edit');
      edits.push({ pdId: incident.pdId, title, committedAt: Date.parse(edited.updated_at), index: i });
    });
    clearInterval(sampler);
    // The last edit of each incident must arrive (earlier ones may be coalesced into it).
    const lastOf = new Map<string, { title: string; index: number }>();
    for (const e of edits) if ((lastOf.get(e.pdId)?.index ?? -1) < e.index) lastOf.set(e.pdId, e);
    const arrivedAt = new Map<string, number>();
    const collect = () => {
      for (const r of requests.entries) {
        const title = r.method === 'PUT' && r.status < 300 ? r.body?.incident?.title : undefined;
        if (title && !arrivedAt.has(title)) arrivedAt.set(title, Date.parse(r.time));
      }
    };
    const deadline = Date.now() + 60000;
    for (;;) {
      await requests.read();
      collect();
      const missing = [...lastOf.values()].filter((e) => !arrivedAt.has(e.title)).length;
      if (missing === 0 || Date.now() > deadline) break;
      progress(`  … waiting for ${missing} incidents' last edit to reach the simulator`);
      await sleep(1000);
    }
    const cpuSeconds = cpuSince(cpuStart);
    await requests.stop();
    collect();
    const samples = edits.filter((e) => arrivedAt.has(e.title)).map((e) => arrivedAt.get(e.title)! - e.committedAt);
    const lostFinal = [...lastOf.values()].filter((e) => !arrivedAt.has(e.title)).length;
    return {
      rate, seconds, incidents: incidentCount, cpuSeconds, edits: edits.length, arrived: samples.length, coalesced: edits.length - samples.length - lostFinal, lostFinal, latencyMs: latency(samples),
      tokenWait: { samples: tokens.length, emptyBucketSamples: tokens.filter((t) => t < 1).length, minTokens: tokens.length ? Math.min(...tokens) : null },
    };
  } finally {
    await tearDown(bench);
  }
}

const plan = quick
  ? { inbound: { rate: 20, seconds: 10, incidents: 10 }, outbound: { rate: 20, seconds: 10, incidents: 10 } }
  : { inbound: { rate: 200, seconds: 120, incidents: 40 }, outbound: { rate: 200, seconds: 60, incidents: 100 } };
/** BENCH_PROPAGATION_RATE=<changes/s> overrides both rates (e.g. a low rate to see latency without queueing). */
const rateOverride = Number(process.env.BENCH_PROPAGATION_RATE ?? '');
export const propagationPlan = rateOverride > 0
  ? { inbound: { ...plan.inbound, rate: rateOverride }, outbound: { ...plan.outbound, rate: rateOverride } }
  : plan;

/**
 * `npm run bench` (issue #16), started by bench/run.sh against the stack it brought up: runs
 * every scenario with progress lines on stderr, prints a table and writes
 * bench/results/<YYYY-MM-DD>.json. Figures are printed, never asserted.
 * BENCH_QUICK=1 shortens every duration (for a busy machine); BENCH_ONLY=ingress,inbound,…
 * runs a subset (memory and CPU are always reported).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import os from 'node:os';
import { target } from './bench-support';
import { offset, progress, quick, setSimRateLimit, snapshot, sleep, waitKafkaQuiet } from './bench-kit';
import { ingressScenario } from './ingress';
import { inboundScenario, outboundScenario, propagationPlan } from './propagation';
import { coalescingScenario, rateLimitScenario } from './limits';
import { printTable } from './report';

const only = (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean);
const wanted = (name: string) => only.length === 0 || only.includes(name);

async function settle(what: string): Promise<void> {
  const lag = await waitKafkaQuiet(quick ? 60000 : 180000);
  progress(lag === 0 ? `  consumers caught up after ${what}` : `  ! consumers still ${lag} messages behind after ${what}; going on`);
}

async function main(): Promise<void> {
  if (!target.adminKey) throw new Error('BENCH_ADMIN_API_KEY is not set (bench/run.sh sets it)');
  const results: Record<string, unknown> = {
    startedAt: new Date().toISOString(), mode: quick ? 'quick' : 'full', portOffset: offset,
    machine: { cpus: os.cpus().length, loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100), node: process.version },
  };
  progress(`bench (${quick ? 'quick' : 'full'} mode) against ${target.gateway}, simulator ${target.simulator}`);
  await sleep(quick ? 5000 : 20000);
  const idle = snapshot();
  results.memoryIdle = idle;
  progress(`idle resident memory: ${Object.entries(idle).map(([s, v]) => `${s} ${v.rssMb} MB`).join(', ')}`);

  // Limits raised everywhere but the rate-limit scenario, so the limiter is not what is measured.
  await setSimRateLimit(60000, 60000);
  let synced = 0;
  const cpu: Record<string, number> = {};
  const addCpu = (used: Record<string, number>) => { for (const [s, v] of Object.entries(used)) cpu[s] = (cpu[s] ?? 0) + v; };
  if (wanted('inbound')) {
    const p = propagationPlan.inbound;
    progress(`inbound propagation: ${p.rate} notes/s in the simulator for ${p.seconds} s over ${p.incidents} incidents`);
    const r = await inboundScenario(p.rate, p.seconds, p.incidents);
    results.inbound = r;
    synced += r.landed;
    addCpu(r.cpuSeconds);
    progress(`  inbound: ${r.landed}/${r.notes} landed, lost ${r.lost}; p50 ${r.latencyMs.p50} ms p99 ${r.latencyMs.p99} ms max ${r.latencyMs.max} ms`);
    await settle('inbound');
  }
  if (wanted('outbound')) {
    const p = propagationPlan.outbound;
    progress(`outbound propagation: ${p.rate} platform edits/s for ${p.seconds} s over ${p.incidents} incidents`);
    const r = await outboundScenario(p.rate, p.seconds, p.incidents);
    results.outbound = r;
    synced += r.edits;
    addCpu(r.cpuSeconds);
    progress(`  outbound: ${r.arrived} of ${r.edits} edits arrived as requests (${r.coalesced} coalesced, ${r.lostFinal} final edits missing); p50 ${r.latencyMs.p50} ms p99 ${r.latencyMs.p99} ms`);
    await settle('outbound');
  }
  if (synced > 0) {
    // The product's services only (the simulator is the load's other side).
    const perService: Record<string, number> = {};
    let total = 0;
    for (const [service, used] of Object.entries(cpu)) {
      if (service === 'pagerduty-sim') continue;
      perService[service] = Math.round((used / synced) * 1000 * 100) / 100;
      total += used;
    }
    results.cpuPer1000Changes = { changes: synced, totalSeconds: Math.round((total / synced) * 1000 * 100) / 100, perService };
  }
  if (wanted('coalescing')) {
    progress('coalescing: 100 edits to 10 incidents within one second (integration limit 120/min)');
    results.coalescing = await coalescingScenario();
    await settle('coalescing');
  }
  if (wanted('ratelimit')) {
    await setSimRateLimit(960, 300); // PagerDuty's own per-key limits
    const limits = quick ? [120] : [120, 960];
    const seconds = quick ? 60 : 120;
    const out = [];
    for (const limit of limits) {
      progress(`rate-limit use: backlog at ${limit}/min, measured ${seconds} s`);
      out.push(await rateLimitScenario(limit, seconds));
      await settle(`the ${limit}/min backlog`);
    }
    results.rateLimit = out;
    await setSimRateLimit(60000, 60000);
  }
  if (wanted('ingress')) {
    progress('ingress: signed webhooks through the gateway vs the bare Node baseline, rising rates until p99 > 250 ms');
    results.ingress = await ingressScenario();
    await settle('ingress');
  }
  results.memoryAfterLoad = snapshot();
  await setSimRateLimit(960, 300);
  results.finishedAt = new Date().toISOString();

  printTable(results);
  const dir = join(__dirname, '..', '..', 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${new Date().toISOString().slice(0, 10)}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  progress(`results written to ${file}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

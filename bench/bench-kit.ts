/**
 * Helpers of the `npm run bench` harness (bench/run.ts): progress lines, the stack's ports and
 * processes, the simulator's logs read incrementally, latency summaries and Kafka quiescence.
 * Figures are printed and written to bench/results, never asserted.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { call, must, target } from './bench-support';
export { Latency, latency } from './bench-math';

export const quick = process.env.BENCH_QUICK === '1';
export const offset = Number(process.env.BENCH_PORT_OFFSET ?? 53000);
export const kafkaBrokers = [process.env.BENCH_KAFKA_BROKERS ?? `127.0.0.1:${9092 + offset}`];
/** Where scripts/stack.sh keeps the pid files of the stack under test. */
export const runDir = process.env.BENCH_RUN_DIR ?? '';

const BASE_PORT: Record<string, number> = { gateway: 8080, 'integration-config': 8081, incidents: 8082, 'webhook-ingress': 8083, 'sync-engine': 8084, 'outbound-dispatcher': 8085, 'dlq-manager': 8086, 'pagerduty-sim': 8090 };
export const SERVICES = Object.keys(BASE_PORT);
export const servicePort = (service: string): number => BASE_PORT[service]! + offset;

const started = Date.now();
export function progress(message: string): void {
  const t = ((Date.now() - started) / 1000).toFixed(0).padStart(4);
  process.stderr.write(`[bench +${t}s] ${message}\n`);
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));


/** Runs `fn` over `items` with at most `width` in flight. */
export async function pool<T>(items: T[], width: number, fn: (item: T, index: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  }));
}

/**
 * Calls `send(i)` at `perSecond` for `seconds` (open loop: the schedule does not wait for
 * answers, at most `maxInFlight` outstanding). Returns how many were sent.
 */
export async function steadyRate(perSecond: number, seconds: number, send: (i: number) => Promise<unknown>, maxInFlight = 400): Promise<{ sent: number; skipped: number; failed: number }> {
  const total = Math.round(perSecond * seconds);
  const t0 = Date.now();
  let sent = 0, skipped = 0, failed = 0, inFlight = 0;
  const pending = new Set<Promise<unknown>>();
  let lastReport = t0;
  while (sent + skipped < total) {
    const due = Math.min(total, Math.floor(((Date.now() - t0) / 1000) * perSecond));
    while (sent + skipped < due) {
      if (inFlight >= maxInFlight) { skipped += 1; continue; }
      inFlight += 1;
      const p: Promise<unknown> = send(sent).catch(() => { failed += 1; }).finally(() => { inFlight -= 1; pending.delete(p); });
      pending.add(p);
      sent += 1;
    }
    if (Date.now() - lastReport >= 5000) { lastReport = Date.now(); progress(`  … ${sent}/${total} sent`); }
    await sleep(5);
  }
  await Promise.all(pending);
  return { sent, skipped, failed };
}

export interface SimRequest { seq: number; time: string; method: string; path: string; status: number; body: { incident?: { title?: string } } | null }
export interface SimDelivery { seq: number; event_type: string; incident_id: string; attempt: number; sent_at: number; body: { event?: { data?: { content?: string } } } }

/**
 * Reads one of the simulator's bounded logs (/sim/requests keeps 5,000 entries, /sim/deliveries
 * 10,000) every `everyMs` from where it left off, so a long scenario loses nothing.
 */
export class SimLogFollower<T extends { seq: number }> {
  readonly entries: T[] = [];
  private since = 0;
  private timer: NodeJS.Timeout | null = null;
  private reading: Promise<void> = Promise.resolve();

  constructor(private readonly kind: 'requests' | 'deliveries') {}

  async start(everyMs = 1000): Promise<void> {
    this.since = (await this.page(0)).last_seq;
    this.timer = setInterval(() => { this.reading = this.reading.then(() => this.read()); }, everyMs);
  }

  async read(): Promise<void> {
    const page = await this.page(this.since);
    const items = (page[this.kind] ?? []) as T[];
    if (items.length && items[0]!.seq > this.since + 1) progress(`  ! simulator ${this.kind} log overran: ${items[0]!.seq - this.since - 1} entries missed`);
    this.entries.push(...items);
    this.since = Math.max(this.since, page.last_seq);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.reading;
    await this.read();
  }

  private async page(since: number): Promise<{ last_seq: number; requests?: T[]; deliveries?: T[] }> {
    return must(call(target.simulator, 'GET', `/sim/${this.kind}?since=${since}`), `sim ${this.kind}`);
  }
}

/** The simulator's per-account rate limit (PagerDuty's 960/min by default). */
export async function setSimRateLimit(perMinute: number, createPerMinute: number): Promise<void> {
  await must(call(target.simulator, 'PUT', '/sim/rate_limits', { per_window: perMinute, create_per_window: createPerMinute, window_ms: 60000 }), 'sim rate limits');
}

/** pid of each running service, from scripts/stack.sh's pid files. */
export function servicePids(): Map<string, number> {
  const pids = new Map<string, number>();
  for (const service of SERVICES) {
    const file = join(runDir, `${service}.pid`);
    if (runDir && existsSync(file)) pids.set(service, Number(readFileSync(file, 'utf8').trim()));
  }
  return pids;
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

/** Resident memory (MB) and CPU seconds (user + system) of one process, from /proc. */
export function processStats(pid: number): { rssMb: number; cpuSeconds: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { rssMb: Math.round((rssKb / 1024) * 10) / 10, cpuSeconds: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS };
  } catch {
    return null;
  }
}

export function snapshot(): Record<string, { rssMb: number; cpuSeconds: number }> {
  const out: Record<string, { rssMb: number; cpuSeconds: number }> = {};
  for (const [service, pid] of servicePids()) {
    const s = processStats(pid);
    if (s) out[service] = s;
  }
  return out;
}

/** CPU seconds each service used since `before` (a snapshot()). */
export function cpuSince(before: Record<string, { cpuSeconds: number }>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [service, now] of Object.entries(snapshot())) {
    const start = before[service];
    if (start) out[service] = Math.round((now.cpuSeconds - start.cpuSeconds) * 100) / 100;
  }
  return out;
}

/**
 * Waits until every consumer group has consumed everything (lag 0 on every partition), so the
 * next scenario does not measure the previous one's backlog.
 */
export async function waitKafkaQuiet(timeoutMs: number): Promise<number> {
  const kafka = new Kafka({ clientId: 'bench-lag', brokers: kafkaBrokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const deadline = Date.now() + timeoutMs;
  let lag = Infinity;
  try {
    while (Date.now() < deadline) {
      lag = 0;
      const { groups } = await admin.listGroups();
      for (const { groupId } of groups) {
        for (const topic of await admin.fetchOffsets({ groupId })) {
          if (topic.topic.startsWith('bench.')) continue;
          const ends = new Map((await admin.fetchTopicOffsets(topic.topic)).map((p) => [p.partition, Number(p.high)]));
          for (const p of topic.partitions) {
            const committed = Number(p.offset);
            if (committed >= 0) lag += Math.max(0, (ends.get(p.partition) ?? 0) - committed);
          }
        }
      }
      if (lag === 0) return 0;
      await sleep(1000);
    }
    return lag;
  } finally {
    await admin.disconnect();
  }
}

/** One gauge of a service's /metrics, by name and a label value it must carry. */
export async function readGauge(service: string, name: string, labelContains: string): Promise<number | null> {
  const response = await fetch(`http://127.0.0.1:${servicePort(service)}/metrics`);
  const text = await response.text();
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name}{`) && line.includes(labelContains)) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return null;
}

/** The table `npm run bench` prints at the end (the same figures are in bench/results/<date>.json). */
import type { IngressResult, IngressStep } from './ingress';
import type { InboundResult, OutboundResult } from './propagation';
import type { CoalescingResult, RateLimitResult } from './limits';

type Row = [scenario: string, figure: string, value: string, baseline?: string, ratio?: string];
type Memory = Record<string, { rssMb: number; cpuSeconds: number }>;

const ms = (v: number) => (Number.isFinite(v) ? `${v} ms` : 'n/a');

function ingressRows(r: IngressResult): Row[] {
  const step = (s: IngressStep | null) => (s ? `${s.acceptedPerSecond}/s` : 'none within 250 ms');
  const rows: Row[] = [['ingress', 'accepted webhooks/s (best step with p99 ≤ 250 ms)', step(r.product.best), step(r.baseline.best), r.ratio ? r.ratio.toFixed(3) : 'n/a']];
  const p = r.product.best, b = r.baseline.best;
  if (p || b) rows.push(['ingress', 'ack p50 / p99 / p99.9 at that step', p ? `${ms(p.ack.p50)} / ${ms(p.ack.p99)} / ${ms(p.ack.p999)}` : '–', b ? `${ms(b.ack.p50)} / ${ms(b.ack.p99)} / ${ms(b.ack.p999)}` : '–']);
  const pp = r.product.peak, pb = r.baseline.peak;
  if (pp && pb) rows.push(['ingress', 'peak accepted webhooks/s at any step (p99 ignored)', `${pp.acceptedPerSecond}/s (p99 ${ms(pp.ack.p99)})`, `${pb.acceptedPerSecond}/s (p99 ${ms(pb.ack.p99)})`, r.peakRatio.toFixed(3)]);
  const at2000 = r.product.steps.find((s) => s.rate === 2000);
  if (at2000) rows.push(['ingress', 'p99 ack at 2,000/s offered', ms(at2000.ack.p99), ms(r.baseline.steps.find((s) => s.rate === 2000)?.ack.p99 ?? NaN)]);
  const direct = r.direct;
  if (direct) {
    const d = direct.best, dp = direct.peak;
    rows.push(['ingress', 'direct to webhook-ingress, no gateway: best step / peak', `${step(d)}${d ? ` (p99 ${ms(d.ack.p99)})` : ''} / ${dp ? `${dp.acceptedPerSecond}/s` : 'n/a'}`, pb ? `${pb.acceptedPerSecond}/s` : '', dp && pb ? (dp.acceptedPerSecond / pb.acceptedPerSecond).toFixed(3) : '']);
    rows.push(['ingress', 'gateway hop: peak through the gateway / peak direct', r.hopRatio !== null ? r.hopRatio.toFixed(3) : 'n/a']);
  }
  const last = r.product.steps[r.product.steps.length - 1];
  if (last) rows.push(['ingress', 'product: last step (offered → accepted, p99)', `${last.rate}/s → ${last.acceptedPerSecond}/s, ${ms(last.ack.p99)}${last.rejected ? `, ${last.rejected} not accepted` : ''}`]);
  return rows;
}

export function printTable(results: Record<string, unknown>): void {
  const rows: Row[] = [];
  const inbound = results.inbound as InboundResult | undefined;
  if (inbound) {
    rows.push(['inbound', `simulator webhook sent → platform commit (${inbound.rate}/s, ${inbound.seconds} s)`, `p50 ${ms(inbound.latencyMs.p50)}, p99 ${ms(inbound.latencyMs.p99)}, max ${ms(inbound.latencyMs.max)}`]);
    rows.push(['inbound', 'notes sent / landed / lost', `${inbound.notes} / ${inbound.landed} / ${inbound.lost}`]);
  }
  const outbound = results.outbound as OutboundResult | undefined;
  if (outbound) {
    rows.push(['outbound', `platform edit commit → request at simulator (${outbound.rate}/s, ${outbound.seconds} s)`, `p50 ${ms(outbound.latencyMs.p50)}, p99 ${ms(outbound.latencyMs.p99)}, max ${ms(outbound.latencyMs.max)}`]);
    rows.push(['outbound', 'edits / arrived / coalesced / final edit missing', `${outbound.edits} / ${outbound.arrived} / ${outbound.coalesced} / ${outbound.lostFinal}`]);
    const t = outbound.tokenWait;
    rows.push(['outbound', 'rate-limit token wait (bucket empty in samples)', `${t.emptyBucketSamples} of ${t.samples} samples, min ${t.minTokens ?? 'n/a'} tokens`]);
  }
  const coalescing = results.coalescing as CoalescingResult | undefined;
  if (coalescing) rows.push(['coalescing', `${coalescing.edits} edits to ${coalescing.incidents} incidents in 1 s → PagerDuty requests`, `${coalescing.requests} (final titles ${coalescing.finalTitlesArrived}/${coalescing.incidents})`]);
  for (const r of (results.rateLimit as RateLimitResult[] | undefined) ?? []) {
    rows.push(['rate limit', `backlog at ${r.limitPerMinute}/min over ${r.measuredSeconds} s: highest 60 s window, writes / all`, `${r.highestWritesInAnyWindow} / ${r.highestInAnyWindow} (limit ${r.limitPerMinute}; ${Object.entries(r.byMethod).map(([m, n]) => `${n} ${m}`).join(', ')})`]);
    rows.push(['rate limit', `  shortest time holding ${r.limitPerMinute + 1} writes (arrival at the simulator)`, r.shortestSpanOfLimitPlusOneWritesMs === null ? 'n/a' : ms(r.shortestSpanOfLimitPlusOneWritesMs)]);
    rows.push(['rate limit', '  average writes as a fraction of the limit / 429s', `${r.fractionOfLimit} / ${r.rateLimited429}`]);
  }
  const cpu = results.cpuPer1000Changes as { changes: number; totalSeconds: number; perService: Record<string, number> } | undefined;
  if (cpu) rows.push(['cpu', `CPU s per 1,000 synced changes (${cpu.changes} changes)`, `${cpu.totalSeconds} s (${Object.entries(cpu.perService).map(([s, v]) => `${s} ${v}`).join(', ')})`]);
  const ingress = results.ingress as IngressResult | undefined;
  if (ingress) rows.push(...ingressRows(ingress));
  const idle = (results.memoryIdle ?? {}) as Memory, after = (results.memoryAfterLoad ?? {}) as Memory;
  for (const service of Object.keys(idle)) rows.push(['memory', `${service} resident MB idle / after load`, `${idle[service]!.rssMb} / ${after[service]?.rssMb ?? 'n/a'}`]);

  const widths = [0, 1, 2, 3, 4].map((c) => Math.max(...[['scenario', 'figure', 'value', 'baseline', 'ratio'][c]!.length, ...rows.map((r) => (r[c] ?? '').length)]));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ');
  console.log(`\nnpm run bench — ${results.mode} mode, ${results.startedAt} → ${results.finishedAt}`);
  console.log(line(['scenario', 'figure', 'value', 'baseline', 'ratio']));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const r of rows) console.log(line([r[0], r[1], r[2], r[3] ?? '', r[4] ?? '']));
}

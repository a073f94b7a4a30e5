/**
 * Ingress scenario (issue #16): signed PagerDuty v3 webhooks through the gateway, each with a
 * unique X-Webhook-Id and event id (~2 KB bodies, every 25th near 55 KB), at rising rates until
 * the p99 ack latency passes 250 ms; the same load against the bare Node baseline
 * (bench/ingress-baseline.mjs: HMAC verify + produce to the same Kafka, acks=all, batched),
 * interleaved step by step in the same run.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import http from 'node:http';
import { join } from 'node:path';
import { call, must, target } from './bench-support';
import { Latency, kafkaBrokers, latency, offset, progress, quick, servicePort, sleep } from './bench-kit';

const P99_LIMIT_MS = 250;

export interface IngressStep { rate: number; offered: number; accepted: number; acceptedPerSecond: number; rejected: number; ack: Latency }
export interface IngressSide { steps: IngressStep[]; best: IngressStep | null; peak: IngressStep | null }
/**
 * `ratio`: best within 250 ms p99, product over baseline; `peakRatio`: the highest accepted rate of any step (p99 ignored).
 * `direct`: the product called on webhook-ingress itself, bypassing the gateway (the hop's cost: `hopRatio`, gateway peak over direct peak).
 */
export interface IngressResult { product: IngressSide; baseline: IngressSide; direct: IngressSide | null; ratio: number; peakRatio: number; hopRatio: number | null }

let counter = 0;
const padding2k = 'x'.repeat(1400);
const padding55k = 'y'.repeat(54000);

/** A realistic incident.acknowledged delivery, unique event id and webhook id, signed. */
function makeDelivery(secret: string): { body: Buffer; headers: Record<string, string> } {
  counter += 1;
  const big = counter % 25 === 0;
  const incidentId = `QBENCH${String(counter % 500).padStart(8, '0')}`;
  const event = {
    event: {
      id: `01${randomUUID().replace(/-/g, '').slice(0, 24).toUpperCase()}`, event_type: 'incident.acknowledged', resource_type: 'incident', occurred_at: new Date().toISOString(),
      agent: { html_url: 'https://acme.pagerduty.com/users/PLH1HKV', id: 'PLH1HKV', self: 'https://api.pagerduty.com/users/PLH1HKV', summary: 'Alice Bench', type: 'user_reference' },
      client: null,
      data: {
        id: incidentId, type: 'incident', self: `https://api.pagerduty.com/incidents/${incidentId}`, html_url: `https://acme.pagerduty.com/incidents/${incidentId}`, number: counter,
        status: 'acknowledged', incident_key: randomUUID(), created_at: new Date().toISOString(), title: `bench ingress ${counter} ${big ? padding55k : padding2k}`,
        service: { html_url: 'https://acme.pagerduty.com/services/PSVC001', id: 'PSVC001', self: 'https://api.pagerduty.com/services/PSVC001', summary: 'Checkout', type: 'service_reference' },
        assignees: [{ html_url: 'https://acme.pagerduty.com/users/PLH1HKV', id: 'PLH1HKV', self: 'https://api.pagerduty.com/users/PLH1HKV', summary: 'Alice Bench', type: 'user_reference' }],
        escalation_policy: { html_url: 'https://acme.pagerduty.com/escalation_policies/PEP0001', id: 'PEP0001', self: 'https://api.pagerduty.com/escalation_policies/PEP0001', summary: 'Default', type: 'escalation_policy_reference' },
        teams: [], priority: null, urgency: 'high', conference_bridge: null, resolve_reason: null,
      },
    },
  };
  const body = Buffer.from(JSON.stringify(event));
  const signature = `v1=${createHmac('sha256', secret).update(body).digest('hex')}`;
  return { body, headers: { 'content-type': 'application/json', 'user-agent': 'PagerDuty-Webhook/V3.0', 'x-pagerduty-signature': signature, 'x-webhook-id': randomUUID() } };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 50 });

/**
 * The gateway's credential, for calling webhook-ingress directly (the gateway hop measured
 * apart): the test profile's fixed GATEWAY_TOKEN (scripts/stack.sh), which bench/run.sh passes.
 */
const gatewayToken = process.env.BENCH_GATEWAY_TOKEN ?? '';

function post(url: URL, body: Buffer, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ agent, host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** One step: open-loop load at `rate`/s for `seconds`; latency from the call to the answer. */
async function step(url: URL, secret: string, rate: number, seconds: number, accepted: (r: { status: number; text: string }) => boolean, extraHeaders: Record<string, string> = {}): Promise<IngressStep> {
  const samples: number[] = [];
  let ok = 0, rejected = 0, offered = 0;
  const total = Math.round(rate * seconds);
  const inFlight = new Set<Promise<void>>();
  const t0 = Date.now();
  while (offered < total) {
    const due = Math.min(total, Math.floor(((Date.now() - t0) / 1000) * rate));
    for (; offered < due; offered += 1) {
      const { body, headers } = makeDelivery(secret);
      const start = performance.now();
      const p: Promise<void> = post(url, body, { ...headers, ...extraHeaders }).then((r) => {
        if (accepted(r)) { ok += 1; samples.push(performance.now() - start); } else rejected += 1;
      }, () => { rejected += 1; }).finally(() => { inFlight.delete(p); });
      inFlight.add(p);
    }
    await sleep(2);
  }
  await Promise.all(inFlight);
  const elapsed = (Date.now() - t0) / 1000;
  return { rate, offered, accepted: ok, acceptedPerSecond: Math.round(ok / elapsed), rejected, ack: latency(samples) };
}

function startBaseline(secret: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(__dirname, '..', '..', 'bench', 'ingress-baseline.mjs')], {
    env: { ...process.env, SECRET: secret, PORT: String(port), MODE: 'batch', BROKERS: kafkaBrokers.join(','), TOPIC: 'bench.webhooks.v1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => { if (d.toString().includes('baseline ready')) resolve(child); });
    child.on('exit', (code) => reject(new Error(`ingress baseline exited (${code})`)));
  });
}

/** The highest accepted rate among steps whose p99 stayed within the limit. */
function best(steps: IngressStep[]): IngressStep | null {
  const within = steps.filter((s) => s.ack.p99 <= P99_LIMIT_MS && s.rejected === 0);
  return within.reduce<IngressStep | null>((b, s) => (b && b.acceptedPerSecond >= s.acceptedPerSecond ? b : s), null);
}

function peak(steps: IngressStep[]): IngressStep | null {
  return steps.reduce<IngressStep | null>((b, s) => (b && b.acceptedPerSecond >= s.acceptedPerSecond ? b : s), null);
}

export async function ingressScenario(): Promise<IngressResult> {
  const secret = `whsec-bench-${randomUUID()}`;
  const org = `bench-${randomUUID().slice(0, 8)}`;
  const key = (await must(call<{ api_key: string }>(target.gateway, 'POST', '/api/v1/api-keys', { organization_id: org, name: 'bench-ingress' }, target.adminKey), 'api key')).api_key;
  const integration = await must(call<{ id: string }>(target.gateway, 'POST', '/api/v1/integrations', {
    integration_type: 'pagerduty', name: `bench ingress ${org}`, base_url: target.simulator, credentials: { token: 'sim-account-token' }, webhook_secret: secret, sync_direction: 'bidirectional',
  }, key), 'ingress integration');
  const productUrl = new URL(`${target.gateway}/api/v1/webhooks/${integration.id}`);
  const directUrl = new URL(`http://127.0.0.1:${servicePort('webhook-ingress')}/api/v1/webhooks/${integration.id}`);
  const directHeaders = { 'x-incident-sync-gateway-token': gatewayToken };
  const baselinePort = 8500 + offset;
  const baselineUrl = new URL(`http://127.0.0.1:${baselinePort}/`);
  const baseline = await startBaseline(secret, baselinePort);
  const productAccepted = (r: { status: number; text: string }) => r.status === 202 && r.text.includes('"accepted"');
  const baselineAccepted = (r: { status: number }) => r.status === 202;
  try {
    // Warm both (integration cache, Kafka producer, connections); not measured.
    await step(productUrl, secret, 50, 1, productAccepted);
    await step(baselineUrl, secret, 50, 1, baselineAccepted);
    const rates = quick ? [100, 200, 400, 800, 1600, 3200] : [250, 500, 1000, 1500, 2000, 3000, 4000, 6000, 8000, 12000];
    const seconds = quick ? 3 : 10;
    const product: IngressStep[] = [];
    const base: IngressStep[] = [];
    const direct: IngressStep[] = [];
    const over = (s: IngressStep[]) => s.length > 0 && (s[s.length - 1]!.ack.p99 > P99_LIMIT_MS || s[s.length - 1]!.acceptedPerSecond < 0.8 * s[s.length - 1]!.rate);
    for (const rate of rates) {
      if (over(product) && over(base) && (!gatewayToken || over(direct))) break;
      if (!over(base)) {
        base.push(await step(baselineUrl, secret, rate, seconds, baselineAccepted));
        const s = base[base.length - 1]!;
        progress(`  ingress baseline ${rate}/s: ${s.acceptedPerSecond}/s accepted, p50 ${s.ack.p50} ms p99 ${s.ack.p99} ms`);
        await sleep(1000);
      }
      if (!over(product)) {
        product.push(await step(productUrl, secret, rate, seconds, productAccepted));
        const s = product[product.length - 1]!;
        progress(`  ingress product  ${rate}/s: ${s.acceptedPerSecond}/s accepted (${s.rejected} not), p50 ${s.ack.p50} ms p99 ${s.ack.p99} ms`);
        await sleep(1000);
      }
      if (gatewayToken && !over(direct)) {
        direct.push(await step(directUrl, secret, rate, seconds, productAccepted, directHeaders));
        const s = direct[direct.length - 1]!;
        progress(`  ingress direct   ${rate}/s: ${s.acceptedPerSecond}/s accepted (${s.rejected} not), p50 ${s.ack.p50} ms p99 ${s.ack.p99} ms (no gateway)`);
        await sleep(1000);
      }
    }
    const p = best(product), b = best(base), pp = peak(product), pb = peak(base);
    const ratio = (x: IngressStep | null, y: IngressStep | null) => (x && y ? Math.round((x.acceptedPerSecond / y.acceptedPerSecond) * 1000) / 1000 : 0);
    const pd = peak(direct);
    return {
      product: { steps: product, best: p, peak: pp }, baseline: { steps: base, best: b, peak: pb },
      direct: gatewayToken ? { steps: direct, best: best(direct), peak: pd } : null,
      ratio: ratio(p, b), peakRatio: ratio(pp, pb), hopRatio: gatewayToken ? ratio(pp, pd) : null,
    };
  } finally {
    baseline.kill('SIGTERM');
    agent.destroy();
  }
}

/**
 * Shared set-up for the benchmarks: they run against a RUNNING stack (dev: `npm start`, or the
 * test stack) through the public API and the simulator, exactly as a user would drive it.
 * Figures are printed, never asserted (speed belongs in benchmarks, not tests).
 */
import { randomUUID } from 'node:crypto';

export const target = {
  gateway: process.env.BENCH_GATEWAY_URL ?? 'http://127.0.0.1:8080',
  simulator: process.env.BENCH_SIMULATOR_URL ?? 'http://127.0.0.1:8090',
  adminKey: process.env.BENCH_ADMIN_API_KEY ?? process.env.ADMIN_API_KEY ?? '',
};

export async function call<T = any>(base: string, method: string, path: string, body?: unknown, key?: string, headers: Record<string, string> = {}): Promise<{ status: number; body: T }> {
  const h: Record<string, string> = { accept: 'application/json', ...headers };
  if (key) h.authorization = `Bearer ${key}`;
  if (body !== undefined) h['content-type'] = 'application/json';
  const response = await fetch(`${base}${path}`, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
}

export async function must<T = any>(p: Promise<{ status: number; body: T }>, what: string): Promise<T> {
  const r = await p;
  if (r.status >= 300) throw new Error(`${what} failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

export interface BenchIntegration {
  orgKey: string;
  integrationId: string;
  slug: string;
  subscriptionId: string | null;
}

/** A fresh organization and a bidirectional integration against the simulator, with its webhook. */
export async function setUpIntegration(options: { rateLimit: number; serviceId?: string; incidentType?: string }): Promise<BenchIntegration> {
  if (!target.adminKey) throw new Error('set BENCH_ADMIN_API_KEY (npm start prints it; it is in .local/dev.env)');
  const org = `bench-${randomUUID().slice(0, 8)}`;
  const key = await must(call<{ api_key: string }>(target.gateway, 'POST', '/api/v1/api-keys', { organization_id: org, name: 'bench' }, target.adminKey), 'create API key');
  const orgKey = key.api_key;
  const slug = `bench-${randomUUID().slice(0, 6)}`;
  const integration = await must(call<{ id: string }>(target.gateway, 'POST', '/api/v1/integrations', {
    organization_id: org, integration_type: 'pagerduty', name: `Bench ${slug}`, slug, base_url: target.simulator,
    credentials: { token: 'sim-account-token' }, from_email: 'incident-sync-bot@example.com', sync_direction: 'bidirectional',
    enabled: true, rate_limit: options.rateLimit, default_service_id: options.serviceId ?? 'PSVC001',
  }, orgKey), 'create integration');
  if (options.incidentType) {
    await must(call(target.gateway, 'POST', `/api/v1/integrations/${slug}/service-mappings`, { pd_service_id: options.serviceId ?? 'PSVC001', incident_type: options.incidentType }, orgKey), 'service mapping');
  }
  const subscription = await must(call<{ id: string }>(target.gateway, 'POST', `/api/v1/integrations/${slug}/webhook-subscription`, { public_url: target.gateway, filter_type: 'service_reference', filter_id: options.serviceId ?? 'PSVC001' }, orgKey), 'webhook subscription');
  await call(target.gateway, 'POST', `/api/v1/integrations/${slug}/test`, undefined, orgKey);
  return { orgKey, integrationId: integration.id, slug, subscriptionId: subscription.id ?? null };
}

/**
 * Deletes the run's simulator subscription: one left behind keeps receiving every later event
 * of its service, so each run would make the next one slower. (The integration stays: a
 * backlog still draining would otherwise be dead-lettered.)
 */
export async function tearDown(bench: BenchIntegration): Promise<void> {
  if (bench.subscriptionId) {
    await call(target.simulator, 'DELETE', `/webhook_subscriptions/${bench.subscriptionId}`, undefined, undefined, { authorization: 'Token token=sim-account-token', accept: 'application/vnd.pagerduty+json;version=2' });
  }
}

export async function waitUntil<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  // Nearest rank; the epsilon keeps 99.9% of 1000 at rank 999 despite floating point (999.0000000000001).
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length - 1e-9) - 1));
  return sorted[index] ?? NaN;
}

export function summary(label: string, samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  return `${label}: n=${sorted.length} median=${percentile(sorted, 50).toFixed(0)} ms p99=${percentile(sorted, 99).toFixed(0)} ms min=${sorted[0]?.toFixed(0)} max=${sorted[sorted.length - 1]?.toFixed(0)}`;
}

import { isDeepStrictEqual } from 'node:util';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_PORTS, testStack } from '@incident-sync/testing';
import { OrgWorld, RUN_DIR, SecurityWorld, WorldClient } from './security-world';

type Snapshot = Record<string, unknown>;

const byId = (rows: any[] | undefined): any[] => [...(rows ?? [])].sort((x, y) => String(x.id ?? x.email ?? x.pd_service_id ?? x.field).localeCompare(String(y.id ?? y.email ?? y.pd_service_id ?? y.field)));

/**
 * What each organization has stored, read through the API: integrations (every setting and
 * rule), incidents (count, versions, timeline lengths), conflicts, dead letters and API keys
 * (without last_used_at, which using a key updates by design); plus every API key the
 * admin key sees (any organization). Webhook receipts are not included: signed deliveries of
 * unknown event types are stored by design.
 */
export async function storedState(client: WorldClient, world: SecurityWorld): Promise<Snapshot> {
  const snapshot: Snapshot = {};
  for (const [label, org] of [['a', world.a], ['b', world.b]] as [string, OrgWorld][]) {
    const get = (path: string): Promise<any> => client.ok('GET', path, org.apiKey);
    const integrations = byId((await get('/api/v1/integrations')).data);
    const rules: Record<string, unknown> = {};
    for (const i of integrations) {
      for (const r of ['field-ownership', 'service-mappings', 'user-mappings', 'webhook-secrets']) rules[`${i.id}/${r}`] = byId((await get(`/api/v1/integrations/${i.id}/${r}`)).data);
    }
    const incidents = byId((await get('/api/v1/incidents?limit=200')).data);
    const timelines: Record<string, number> = {};
    for (const i of incidents) timelines[i.id] = ((await get(`/api/v1/incidents/${i.id}/timeline`)).data ?? []).length;
    const conflicts = byId((await get('/api/v1/conflicts?status=all')).data).map((c) => ({ id: c.id, status: c.status, resolution: c.resolution ?? null }));
    const dlq = await get('/api/v1/dlq?limit=200&status=pending,replayed,discarded');
    const keys = byId((await get('/api/v1/api-keys')).data).map(({ last_used_at: _used, ...k }) => k);
    snapshot[label] = {
      integrations, rules,
      incidents: incidents.map((i) => ({ id: i.id, version: i.version, updated_at: i.updated_at })),
      incident_count: incidents.length, timelines, conflicts,
      dead_letters: { total: dlq.total, rows: byId(dlq.data).map((d) => ({ id: d.id, status: d.status })) },
      api_keys: keys,
    };
  }
  const admin = testStack.adminApiKey;
  snapshot.all_api_keys = byId((await client.ok('GET', '/api/v1/api-keys', admin)).data).map((k) => k.id);
  return snapshot;
}

/** The stored state once it stops moving (in-flight syncs settled): two equal reads in a row. */
export async function settledState(client: WorldClient, world: SecurityWorld, timeoutMs = 90000): Promise<Snapshot> {
  const deadline = Date.now() + timeoutMs;
  let last = await storedState(client, world);
  for (;;) {
    await new Promise((r) => setTimeout(r, 2000));
    const next = await storedState(client, world);
    if (isDeepStrictEqual(last, next)) return next;
    if (Date.now() > deadline) throw new Error('the stored state kept changing while nothing was being sent');
    last = next;
  }
}

/** Paths (a.incidents[3].version …) whose values differ between two snapshots. */
export function differences(before: unknown, after: unknown, path = ''): string[] {
  if (isDeepStrictEqual(before, after)) return [];
  if (typeof before !== 'object' || typeof after !== 'object' || before === null || after === null) return [`${path}: ${JSON.stringify(before)?.slice(0, 200)} → ${JSON.stringify(after)?.slice(0, 200)}`];
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].flatMap((k) => differences((before as any)[k], (after as any)[k], path ? `${path}.${k}` : k));
}

export const SERVICES = ['integration-config', 'incidents', 'webhook-ingress', 'sync-engine', 'outbound-dispatcher', 'dlq-manager', 'pagerduty-sim', 'gateway'] as const;

/** Each service's pid (from scripts/stack.sh's pid files) and whether /health/ready answers 200. */
export async function serviceHealth(): Promise<Record<string, { pid: string | null; alive: boolean; ready: number }>> {
  const out: Record<string, { pid: string | null; alive: boolean; ready: number }> = {};
  for (const svc of SERVICES) {
    const pidFile = join(RUN_DIR, `${svc}.pid`);
    const pid = existsSync(pidFile) ? readFileSync(pidFile, 'utf8').trim() : null;
    const alive = pid !== null && existsSync(`/proc/${pid}`) && !/^\S+ \S+ Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/\(.*\)/, 'x'));
    let ready = 0;
    try {
      ready = (await fetch(`${testStack.serviceUrl(TEST_PORTS[svc])}/health/ready`, { signal: AbortSignal.timeout(5000) })).status;
    } catch {
      ready = 0;
    }
    out[svc] = { pid, alive, ready };
  }
  return out;
}

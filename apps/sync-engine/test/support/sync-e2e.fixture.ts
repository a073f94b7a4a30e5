import { randomUUID } from 'node:crypto';
import { validateRequest } from '@incident-sync/pagerduty/openapi';
import { ApiClient, testStack, uniqueId, waitFor } from '@incident-sync/testing';

/** A request the simulator received (GET /sim/requests). */
export interface SimRequest {
  seq: number;
  time: string;
  method: string;
  path: string;
  query: Record<string, unknown>;
  headers: Record<string, string>;
  body: unknown;
  status: number;
}

export interface SyncFixture {
  org: string;
  api: ApiClient;
  apiKey: string;
  integrationId: string;
  slug: string;
  subscriptionId: string | null;
}

export const BOT_EMAIL = 'incident-sync-bot@example.com';

export const admin = new ApiClient(testStack.gatewayUrl, testStack.adminApiKey);
/** The simulator's PagerDuty REST API, as an account key. */
export const simApi = new ApiClient(testStack.simulatorUrl, undefined, { authorization: 'Token token=sim-account-token', accept: 'application/vnd.pagerduty+json;version=2' });
/** The simulator's control API (`/sim/...`). */
export const simControl = new ApiClient(testStack.simulatorUrl);

/**
 * One organization with one PagerDuty integration pointing at the simulator, its webhook
 * subscription to the gateway (secret stored by integration-config) and `test` run once so
 * the bot user id is recorded. Unique org and slug per call.
 */
export async function createSyncFixture(options: {
  conflictStrategy?: 'last-write-wins' | 'ownership-priority' | 'manual-review';
  syncEscalations?: boolean;
  direction?: 'none' | 'inbound' | 'outbound' | 'bidirectional';
  serviceMappings?: [pdServiceId: string, incidentType: string][];
  defaultServiceId?: string;
  rateLimit?: number;
  /** PagerDuty base URL (default: the simulator), e.g. a proxy in front of it. */
  baseUrl?: string;
  /** Subscribe to one service's incidents only (less cross-talk between tests on the shared simulator). */
  subscriptionServiceId?: string | null;
} = {}): Promise<SyncFixture> {
  const org = uniqueId('org');
  const key = await admin.post('/api/v1/api-keys', { organization_id: org, name: 'sync-e2e' });
  expect(key.status).toBe(201);
  const api = new ApiClient(testStack.gatewayUrl, key.body.api_key);
  const slug = uniqueId('pd');
  const created = await api.post('/api/v1/integrations', {
    integration_type: 'pagerduty', name: `sync ${slug}`, slug, base_url: options.baseUrl ?? testStack.simulatorUrl, credentials: { token: 'sim-account-token' },
    from_email: BOT_EMAIL, sync_direction: options.direction ?? 'bidirectional', conflict_strategy: options.conflictStrategy ?? 'ownership-priority',
    sync_escalations: options.syncEscalations ?? true, rate_limit: options.rateLimit ?? 600,
    ...(options.defaultServiceId ? { default_service_id: options.defaultServiceId } : {}),
  });
  expect(created.status).toBe(201);
  const integrationId: string = created.body.id;
  for (const [pdServiceId, incidentType] of options.serviceMappings ?? []) {
    expect((await api.post(`/api/v1/integrations/${integrationId}/service-mappings`, { pd_service_id: pdServiceId, incident_type: incidentType })).status).toBeLessThan(300);
  }
  let subscriptionId: string | null = null;
  if (options.subscriptionServiceId !== null) {
    const filter = options.subscriptionServiceId ? { filter_type: 'service_reference', filter_id: options.subscriptionServiceId } : {};
    const sub = await api.post(`/api/v1/integrations/${integrationId}/webhook-subscription`, { public_url: testStack.gatewayUrl, ...filter });
    expect(sub.status).toBeLessThan(300);
    subscriptionId = sub.body.id;
  }
  const test = await api.post(`/api/v1/integrations/${integrationId}/test`);
  expect(test.status).toBe(200);
  return { org, api, apiKey: key.body.api_key, integrationId, slug, subscriptionId };
}

/** Deletes the simulator subscription so later tests do not keep delivering to this org. */
export async function disposeFixture(fixture: SyncFixture | undefined): Promise<void> {
  if (fixture?.subscriptionId) await simApi.delete(`/webhook_subscriptions/${fixture.subscriptionId}`);
}

/** A simulated person acting in PagerDuty's UI (`POST /sim/incidents/{id}/{action}`). */
export async function responder(pdIncidentId: string, action: string, body: Record<string, unknown>): Promise<void> {
  const response = await simControl.post(`/sim/incidents/${pdIncidentId}/${action}`, body);
  if (response.status >= 300) throw new Error(`sim ${action} answered ${response.status}: ${JSON.stringify(response.body)}`);
}

/** A person triggers a PagerDuty incident; returns its id. */
export async function triggerInPagerDuty(body: Record<string, unknown>): Promise<{ id: string; number: number }> {
  const response = await simControl.post('/sim/incidents', { title: `e2e ${randomUUID().slice(0, 8)}`, ...body });
  if (response.status >= 300) throw new Error(`sim trigger answered ${response.status}: ${JSON.stringify(response.body)}`);
  const incident = response.body.incident ?? response.body;
  return { id: incident.id, number: incident.incident_number };
}

export async function simRequestSeq(): Promise<number> {
  const response = await simControl.get('/sim/requests?since=999999999');
  return Number(response.body.last_seq ?? 0);
}

export async function simRequests(since: number, filter: (r: SimRequest) => boolean = () => true): Promise<SimRequest[]> {
  const response = await simControl.get(`/sim/requests?since=${since}`);
  const list: SimRequest[] = response.body.requests;
  return list.filter(filter);
}

/** Problems of a captured request against the official OpenAPI document (empty = valid). */
export function openApiProblems(request: SimRequest): string[] {
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(request.query ?? {})) query[k] = Array.isArray(v) ? v.map(String) : String(v);
  return validateRequest(request.method, request.path, request.body ?? undefined, { query, headers: request.headers });
}

export async function platformIncident(api: ApiClient, id: string): Promise<Record<string, any>> {
  const response = await api.get(`/api/v1/incidents/${id}`);
  if (response.status !== 200) throw new Error(`GET incident ${id}: ${response.status}`);
  return response.body;
}

export async function timeline(api: ApiClient, id: string): Promise<Record<string, any>[]> {
  return (await api.get(`/api/v1/incidents/${id}/timeline`)).body.data;
}

export async function linkOf(fixture: SyncFixture, incident: string): Promise<Record<string, any> | undefined> {
  const response = await fixture.api.get(`/api/v1/integrations/${fixture.slug}/links?incident=${incident}`);
  return response.body.data?.[0];
}

/** A person triggers a PagerDuty incident on `serviceId`; resolves once the sync has linked it and its platform incident exists. */
export async function linkedFromPagerDuty(fixture: SyncFixture, serviceId: string, title: string): Promise<{ pdId: string; incidentId: string }> {
  const triggered = await triggerInPagerDuty({ as: 'carol@example.com', service_id: serviceId, urgency: 'high', title });
  const link = await waitFor(async () => (await linkOf(fixture, triggered.id)) ?? false, { what: 'the link', timeoutMs: 30000, intervalMs: 250 });
  const incidentId: string = link.platform_incident_id;
  await waitFor(async () => (await fixture.api.get(`/api/v1/incidents/${incidentId}`)).status === 200 || undefined, { what: 'the platform incident', timeoutMs: 30000, intervalMs: 250 });
  return { pdId: triggered.id, incidentId };
}

export async function history(fixture: SyncFixture, incident: string): Promise<Record<string, any>[]> {
  return (await fixture.api.get(`/api/v1/integrations/${fixture.slug}/history?incident=${incident}`)).body.data ?? [];
}

export async function pdIncident(id: string): Promise<Record<string, any>> {
  return (await simApi.get(`/incidents/${id}`)).body.incident;
}

export { waitFor, uniqueId, testStack, ApiClient };

/** Fault injection on the shared simulator; `restore` puts back what was configured before (usually nothing). */
export async function withSimFaults<T>(faults: Record<string, unknown>, work: () => Promise<T>): Promise<T> {
  const before: Record<string, unknown> = (await simControl.get('/sim/faults')).body.faults ?? {};
  const configured = Object.fromEntries(Object.entries(before).filter(([k]) => k !== 'storm_active'));
  const set = await simControl.put('/sim/faults', faults);
  if (set.status >= 300) throw new Error(`PUT /sim/faults answered ${set.status}: ${JSON.stringify(set.body)}`);
  try {
    return await work();
  } finally {
    if (Object.keys(configured).length > 0) await simControl.put('/sim/faults', configured);
    else await simControl.delete('/sim/faults');
  }
}

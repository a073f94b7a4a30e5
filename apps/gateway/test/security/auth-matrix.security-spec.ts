import { testStack, waitFor } from '@incident-sync/testing';
import { inPool } from './support/pool';
import { fillPath, PUBLIC_ROUTES, PublicRoute } from './support/public-routes';
import { LeakLedger, ledgerSummary } from './support/raw-http';
import { A_SERVICE, saveLedger, SecurityWorld, securityWorld, WorldClient } from './support/security-world';
import { differences, settledState } from './support/stored-state';

/** A request each route would accept from A's own key: only the key decides the outcome. */
function validRequest(route: PublicRoute, w: SecurityWorld, integrationRef: string): { path: string; body?: unknown } {
  const values: Record<string, string> = {
    ref: integrationRef, integrationId: integrationRef, id: '', field: 'title', pdServiceId: A_SERVICE, email: 'alice@example.com', secretId: w.a.webhookSecretId, platformIncidentId: w.a.incidentId,
  };
  const kind = route.params.id;
  values.id = kind === 'incident' ? w.a.incidentId : kind === 'conflict' ? w.a.conflictId : kind === 'deadLetter' ? w.a.deadLetterId : kind === 'apiKey' ? w.a.apiKeyId : integrationRef;
  const queries: Record<string, string> = {
    'GET /api/v1/integrations/:ref/history': `?incident=${w.a.incidentId}`,
    'GET /api/v1/integrations/:ref/oncall': '?schedule_id=PSCH001',
    'GET /api/v1/integrations/:ref/links': `?incident=${w.a.incidentId}`,
    'GET /api/v1/api-keys': `?organization_id=${w.a.org}`,
    'GET /api/v1/integrations': `?organization_id=${w.a.org}`,
    'GET /api/v1/conflicts': `?integration=${w.a.integrationId}`,
    'GET /api/v1/dlq': `?integration=${w.a.integrationId}`,
  };
  const bodies: Record<string, unknown> = {
    'POST /api/v1/api-keys': { organization_id: w.a.org, name: 'matrix' },
    'POST /api/v1/integrations': { organization_id: w.a.org, integration_type: 'pagerduty', name: 'matrix', base_url: testStack.simulatorUrl, credentials: { token: 'matrix-token' } },
    'PATCH /api/v1/integrations/:ref': { name: 'renamed by the matrix' },
    'POST /api/v1/integrations/:ref/webhook-subscription': { public_url: testStack.gatewayUrl },
    'PUT /api/v1/integrations/:ref/field-ownership/:field': { owner: 'external' },
    'POST /api/v1/integrations/:ref/service-mappings': { pd_service_id: 'PSVC009', incident_type: 'matrix' },
    'POST /api/v1/integrations/:ref/user-mappings': { email: 'matrix@example.com', pd_user_id: 'PUSR009' },
    'POST /api/v1/integrations/:ref/webhook-secrets': { secret: 'matrix-secret-0123456789' },
    'POST /api/v1/incidents': { title: 'matrix', severity: 'SEV-4' },
    'PATCH /api/v1/incidents/:id': { title: 'renamed by the matrix' },
    'POST /api/v1/incidents/:id/notes': { body: 'matrix note' },
    'POST /api/v1/conflicts/:id/resolve': { decision: 'ignore' },
    'POST /api/v1/dlq/replay': { ids: [w.a.deadLetterId] },
    'POST /api/v1/integrations/:ref/backfill': { since: '2026-11-01T00:00:00Z', dry_run: true },
  };
  const signature = `${route.method} ${route.path}`;
  return { path: fillPath(route, values) + (queries[signature] ?? ''), body: bodies[signature] };
}

/**
 * Every public route (the list is checked against the controllers by public-routes.spec.ts)
 * with no key, with a revoked key, and with another organization's key against organization
 * A's integration, incident, conflict, dead letter, key and secret: 401 / 404 and no data of
 * A in any answer; A's stored state is unchanged afterwards.
 */
describe('authentication and organization scope on every route (security)', () => {
  const ledger = new LeakLedger();
  const client = new WorldClient(ledger);
  let world: SecurityWorld;
  let before: Record<string, unknown>;
  const routes = PUBLIC_ROUTES.filter((r) => !r.webhook);
  const aMarkers = (w: SecurityWorld): string[] => [w.a.name, w.a.slug, w.a.integrationId, w.a.incidentId, w.a.conflictId, w.a.deadLetterId, w.a.pdIncidentId, w.a.apiKeyId, w.a.webhookSecretId, w.canary.token, w.canary.webhookSecret];

  beforeAll(async () => {
    world = await securityWorld(client);
    before = await settledState(client, world);
  });

  afterAll(() => {
    saveLedger('auth-matrix', ledger);
    client.close();
  });

  async function matrix(key: string | undefined, ref: string, expected: (route: PublicRoute) => number[], only: (route: PublicRoute) => boolean = () => true): Promise<string[]> {
    const problems: string[] = [];
    await inPool(routes.filter(only), 8, async (route) => {
      const { path, body } = validRequest(route, world, ref);
      const answer = await client.api(route.method, path, key, body);
      // A's ids echoed from the caller's own request (e.g. "integration <id> not found") are not A's data.
      const asked = `${path} ${JSON.stringify(body ?? '')}`;
      const found = aMarkers(world).filter((m) => answer.text.includes(m) && !asked.includes(m));
      if (!expected(route).includes(answer.status) || found.length > 0) problems.push(`${route.method} ${route.path}: ${answer.status}${found.length ? ` carrying ${found.join(', ')}` : ''} ${answer.text.slice(0, 160)}`);
    });
    return problems;
  }

  it('the matrix covers every public route but the signed webhook delivery', () => {
    expect(routes.length).toBe(PUBLIC_ROUTES.length - 1);
  });

  it('without a key, and with made-up or malformed keys: 401 on every route', async () => {
    for (const key of [undefined, 'isk_made-up-key-0123456789abcdefghijklmnopqrstu', 'not-even-a-key', world.a.apiKey.slice(0, 10)]) {
      expect(await matrix(key, world.a.integrationId, () => [401])).toEqual([]);
    }
    // The key in other places it might be looked for.
    const other = await client.api('GET', `/api/v1/integrations/${world.a.integrationId}`, undefined, undefined, { authorization: `Basic ${Buffer.from(`${world.a.apiKey}:`).toString('base64')}` });
    expect(other.status).toBe(401);
  });

  it('with a revoked key (deleted, then past the gateway\'s auth cache): 401 on every route', async () => {
    const created = await client.ok('POST', '/api/v1/api-keys', testStack.adminApiKey, { organization_id: world.a.org, name: 'to be revoked' });
    const key: string = created.api_key;
    expect((await client.api('GET', '/api/v1/organizations/current', key)).status).toBe(200);
    expect((await client.api('DELETE', `/api/v1/api-keys/${created.id}`, world.a.apiKey)).status).toBe(204);
    // AUTH_CACHE_TTL_MS (2 s in the test profile) bounds how long the gateway may still trust it.
    await waitFor(async () => (await client.api('GET', '/api/v1/organizations/current', key)).status === 401, { what: 'the gateway to forget the revoked key', timeoutMs: 60000, intervalMs: 500 });
    expect(await matrix(key, world.a.integrationId, () => [401])).toEqual([]);
  });

  it('with another organization\'s key against A\'s resources (by id and by slug): 404 (401 where only the admin may call), no data of A', async () => {
    const expected = (route: PublicRoute): number[] => {
      if (route.adminOnly) return [401];
      if (Object.keys(route.params).length > 0) return [404];
      // No path parameter: A is named in the query or body (organization_id, ids, filters).
      return [200, 400, 404];
    };
    // (B creating an incident of its own names nothing of A.)
    const namesA = (route: PublicRoute): boolean => !(route.method === 'POST' && route.path === '/api/v1/incidents');
    expect(await matrix(world.b.apiKey, world.a.integrationId, expected, namesA)).toEqual([]);
    expect(await matrix(world.b.apiKey, world.a.slug, expected, namesA)).toEqual([]);
  });

  it('changed nothing stored by A or B', async () => {
    const after = await settledState(client, world);
    expect(differences(before, after)).toEqual([]);
  });

  it('no answer this file received carried a canary or secret marker', () => {
    expect(ledger.scanned).toBeGreaterThan(100);
    expect(ledgerSummary(ledger)).toEqual([]);
  });
});

import { randomUUID } from 'node:crypto';
import { ApiClient, testStack, uniqueId } from '@incident-sync/testing';

/**
 * Every service that resolves an integration `:ref` (id or slug) does it through the shared
 * IntegrationLookup, scoped to the caller's organization: another organization's integration
 * is a 404 by id, and its slug names the caller's own integration of that slug, never the
 * other one. Driven through the gateway of the running test stack.
 */
describe('an integration exists only for its own organization, in every service that resolves one (e2e)', () => {
  const admin = new ApiClient(testStack.gatewayUrl, testStack.adminApiKey);
  const TOKEN = `scope-canary-token-${randomUUID()}`;
  const SECRET = `whsec-scope-canary-${randomUUID()}`;
  const slug = uniqueId('scope');
  let orgA: ApiClient;
  let orgB: ApiClient;
  let idA: string;
  let idB: string;

  /** The routes of each service that take an integration ref, with where the answer names the integration. */
  const routes = (ref: string): { service: string; method: 'GET' | 'POST'; path: string; idOf?: (body: any) => unknown }[] => [
    { service: 'integration-config', method: 'GET', path: `/api/v1/integrations/${ref}`, idOf: (b) => b.id },
    { service: 'sync-engine links', method: 'GET', path: `/api/v1/integrations/${ref}/links` },
    { service: 'sync-engine history', method: 'GET', path: `/api/v1/integrations/${ref}/history?incident=${randomUUID()}` },
    { service: 'sync-engine sync-status', method: 'GET', path: `/api/v1/integrations/${ref}/sync-status`, idOf: (b) => b.integration_id },
    { service: 'sync-engine conflicts', method: 'GET', path: `/api/v1/integrations/${ref}/conflicts` },
    { service: 'sync-engine conflict filter', method: 'GET', path: `/api/v1/conflicts?integration=${ref}` },
    { service: 'outbound-dispatcher status', method: 'GET', path: `/api/v1/integrations/${ref}/dispatcher/status`, idOf: (b) => b.integration_id },
    { service: 'dlq-manager', method: 'GET', path: `/api/v1/integrations/${ref}/dlq` },
    { service: 'dlq-manager filter', method: 'GET', path: `/api/v1/dlq?integration=${ref}` },
    { service: 'webhook-ingress self-test', method: 'POST', path: `/api/v1/webhooks/${ref}/test`, idOf: (b) => b.integration_id },
  ];

  const create = async (api: ApiClient): Promise<string> => {
    const created = await api.post('/api/v1/integrations', {
      integration_type: 'pagerduty', name: `scope ${slug}`, slug, base_url: testStack.simulatorUrl,
      credentials: { token: TOKEN }, webhook_secret: SECRET, sync_direction: 'none',
    });
    expect(created.status).toBe(201);
    return created.body.id as string;
  };

  beforeAll(async () => {
    orgA = new ApiClient(testStack.gatewayUrl, (await admin.post('/api/v1/api-keys', { organization_id: uniqueId('org-a'), name: 'scope-a' })).body.api_key);
    orgB = new ApiClient(testStack.gatewayUrl, (await admin.post('/api/v1/api-keys', { organization_id: uniqueId('org-b'), name: 'scope-b' })).body.api_key);
    idA = await create(orgA);
    idB = await create(orgB);
  });

  it('the owner reaches it by id and by slug in every service', async () => {
    for (const ref of [idA, slug]) {
      for (const route of routes(ref)) {
        const response = await orgA.request(route.method, route.path);
        expect({ route: route.path, status: response.status }).toEqual({ route: route.path, status: 200 });
        if (route.idOf) expect({ route: route.path, id: route.idOf(response.body) }).toEqual({ route: route.path, id: idA });
        expect(JSON.stringify(response.body)).not.toContain(TOKEN);
        expect(JSON.stringify(response.body)).not.toContain(SECRET);
      }
    }
  });

  it("another organization gets 404 for it by id (any case) in every service, and its slug names that organization's own integration", async () => {
    for (const ref of [idA, idA.toUpperCase()]) {
      for (const route of routes(ref)) {
        const response = await orgB.request(route.method, route.path);
        expect({ route: route.path, status: response.status }).toEqual({ route: route.path, status: 404 });
        expect(response.body.error?.code).toBe('NOT_FOUND');
        expect(JSON.stringify(response.body)).not.toContain(TOKEN);
      }
    }
    for (const route of routes(slug)) {
      const response = await orgB.request(route.method, route.path);
      expect({ route: route.path, status: response.status }).toEqual({ route: route.path, status: 200 });
      if (route.idOf) expect({ route: route.path, id: route.idOf(response.body) }).toEqual({ route: route.path, id: idB });
    }
  });

  it('a ref that is neither an id nor a slug is a 404 in every service', async () => {
    for (const route of routes(encodeURIComponent('Not A Slug'))) {
      const response = await orgA.request(route.method, route.path);
      expect({ route: route.path, status: response.status }).toEqual({ route: route.path, status: 404 });
    }
  });
});

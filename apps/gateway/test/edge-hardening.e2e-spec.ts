import { request as httpRequest } from 'node:http';
import { INTERNAL_HEADERS } from '@incident-sync/contracts';
import { ApiClient, TEST_PORTS, testStack, uniqueId } from '@incident-sync/testing';

interface RawAnswer {
  status: number;
  text: string;
  headers: Record<string, string | string[] | undefined>;
}

const gateway = new URL(testStack.gatewayUrl);

/**
 * Sends a request with its target exactly as written (no client-side dot-segment removal or
 * re-encoding, unlike fetch), optionally with `Expect: 100-continue` and a body sent only
 * after the server's 100 Continue.
 */
function raw(method: string, target: string, headers: Record<string, string> = {}, body?: string, port = Number(gateway.port)): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: gateway.hostname, port, method, path: target, headers, insecureHTTPParser: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body !== undefined && headers.expect?.toLowerCase() === '100-continue') {
      req.on('continue', () => req.end(body));
    } else {
      req.end(body);
    }
  });
}

/** What Node's client needs to put these UTF-8 bytes in a header (it writes header strings as Latin-1). */
const utf8Header = (text: string): string => Buffer.from(text, 'utf8').toString('latin1');

describe('gateway edge hardening (e2e, running stack)', () => {
  const admin = new ApiClient(testStack.gatewayUrl, testStack.adminApiKey);
  const org = uniqueId('org');
  // A unique webhook secret: /internal/v1/integrations returns it decrypted, a public caller never may.
  const secretToken = `canary-webhook-secret-${uniqueId('s')}`;
  let orgKey: string;
  let integrationId: string;

  beforeAll(async () => {
    const key = await admin.post('/api/v1/api-keys', { organization_id: org, name: 'edge-e2e' });
    expect(key.status).toBe(201);
    orgKey = key.body.api_key;
    const created = await new ApiClient(testStack.gatewayUrl, orgKey).post('/api/v1/integrations', {
      integration_type: 'pagerduty', name: `edge ${org}`, base_url: testStack.simulatorUrl, credentials: { token: 'sim-account-token' }, webhook_secret: secretToken,
    });
    expect(created.status).toBe(201);
    integrationId = created.body.id;
  });

  it('the internal lookup of this one integration really holds its decrypted secret (so the refusals below are meaningful); the internal list never does', async () => {
    const internal = new ApiClient(testStack.serviceUrl(TEST_PORTS['integration-config'])).withHeaders({ [INTERNAL_HEADERS.internalToken]: testStack.internalToken });
    const direct = await internal.get(`/internal/v1/integrations/${integrationId}`);
    expect(direct.status).toBe(200);
    expect(JSON.stringify(direct.body)).toContain(secretToken);
    const listed = await internal.get(`/internal/v1/integrations?organization_id=${encodeURIComponent(org)}`);
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).toContain(integrationId);
    expect(JSON.stringify(listed.body)).not.toContain(secretToken);
  });

  describe('path traversal through the gateway answers 400 with no data', () => {
    const withKey = (): Record<string, string> => ({ authorization: `Bearer ${orgKey}` });
    it.each([
      '/api/v1/integrations/../../../internal/v1/integrations',
      '/api/v1/integrations/%2e%2e/%2e%2e/%2e%2e/internal/v1/integrations',
      '/api/v1/integrations/%2E%2E/%2E%2E/%2E%2E/internal/v1/integrations',
      '/api/v1/integrations/.%2e/.%2e/.%2e/internal/v1/integrations',
      '/api/v1/integrations/%252e%252e/%252e%252e/%252e%252e/internal/v1/integrations',
      '/api/v1/integrations/..%2f..%2f..%2finternal/v1/integrations',
      '/api/v1/integrations/..%5c..%5c..%5cinternal/v1/integrations',
      '/api/v1/integrations/..\\..\\..\\internal/v1/integrations',
      '/api/v1/integrations/%00/x',
    ])('organization key: %s', async (target) => {
      const answer = await raw('GET', target, withKey());
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.text).error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'path' });
      expect(answer.text).not.toContain(secretToken);
      expect(answer.text).not.toContain(integrationId);
    });

    it.each([
      `/api/v1/webhooks/../../../internal/v1/ingress/status/${'00000000-0000-0000-0000-000000000000'}`,
      '/api/v1/webhooks/%2e%2e/%2e%2e/%2e%2e/internal/v1/ingress/status/x',
      '/api/v1/webhooks/../../../internal/v1/integrations',
    ])('no key at all: %s', async (target) => {
      const answer = await raw('GET', target);
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.text).error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'path' });
      expect(answer.text).not.toContain(secretToken);
    });
  });

  it('does not route /internal/ at all: 404 with or without a key, never data', async () => {
    for (const headers of [{}, { authorization: `Bearer ${orgKey}` }, { authorization: `Bearer ${testStack.adminApiKey}` }] as Record<string, string>[]) {
      for (const target of ['/internal/v1/integrations', `/internal/v1/integrations/${integrationId}`, '/api/v1/internal/v1/integrations']) {
        const answer = await raw('GET', target, headers);
        expect(answer.status).toBe(404);
        expect(answer.text).not.toContain(secretToken);
      }
    }
  });

  it('a service\'s /internal route refuses the gateway token (401); its /api/v1 routes accept it', async () => {
    const configUrl = testStack.serviceUrl(TEST_PORTS['integration-config']);
    const internal = await fetch(`${configUrl}/internal/v1/integrations`, { headers: { [INTERNAL_HEADERS.gatewayToken]: testStack.gatewayToken } });
    expect(internal.status).toBe(401);
    expect(await internal.text()).not.toContain(secretToken);
    const ingress = await fetch(`${testStack.serviceUrl(TEST_PORTS['webhook-ingress'])}/internal/v1/ingress/status/${integrationId}`, { headers: { [INTERNAL_HEADERS.gatewayToken]: testStack.gatewayToken } });
    expect(ingress.status).toBe(401);
    const publicRoute = await fetch(`${configUrl}/api/v1/organizations/current`, { headers: { [INTERNAL_HEADERS.gatewayToken]: testStack.gatewayToken, [INTERNAL_HEADERS.organizationId]: org } });
    expect(publicRoute.status).toBe(200);
  });

  it('strips client-supplied trusted headers: an organization key cannot claim another organization, admin rights or the internal token', async () => {
    const answer = await raw('GET', '/api/v1/organizations/current', {
      authorization: `Bearer ${orgKey}`,
      [INTERNAL_HEADERS.organizationId]: 'someone-else',
      [INTERNAL_HEADERS.isAdmin]: 'true',
      [INTERNAL_HEADERS.actor]: 'forged',
      [INTERNAL_HEADERS.internalToken]: testStack.internalToken,
      'x-organization-id': 'someone-else',
    });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toEqual({ organization_id: org, is_admin: false, key_name: 'edge-e2e' });
  });

  it('answers Expect: 100-continue (the header is handled at the edge, not forwarded)', async () => {
    const body = JSON.stringify({ organization_id: org, name: 'expect-continue' });
    const answer = await raw('POST', '/api/v1/api-keys', {
      authorization: `Bearer ${testStack.adminApiKey}`, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), expect: '100-continue',
    }, body);
    expect(answer.status).toBe(201);
    expect(JSON.parse(answer.text).name).toBe('expect-continue');
  });

  it('drops hop-by-hop headers, including ones named by Connection, and still answers', async () => {
    const answer = await raw('GET', '/api/v1/organizations/current', {
      authorization: `Bearer ${orgKey}`, connection: 'keep-alive, x-hop', 'x-hop': '1', 'keep-alive': 'timeout=5', te: 'trailers', 'proxy-authorization': 'Basic eA==',
    });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text).organization_id).toBe(org);
  });

  it('serves a key whose name is outside Latin-1 (運用), and shows its name as the actor', async () => {
    const created = await admin.post('/api/v1/api-keys', { organization_id: org, name: '運用' });
    expect(created.status).toBe(201);
    const answer = await new ApiClient(testStack.gatewayUrl, created.body.api_key).get('/api/v1/organizations/current');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ organization_id: org, is_admin: false, key_name: '運用' });
    const list = await new ApiClient(testStack.gatewayUrl, created.body.api_key).get('/api/v1/integrations');
    expect(list.status).toBe(200);
  });

  it('lets the admin key act for an organization whose id is outside Latin-1, and keeps it separate', async () => {
    const unicodeOrg = `運用-${uniqueId('org')}`;
    const key = await admin.post('/api/v1/api-keys', { organization_id: unicodeOrg, name: 'unicode-org' });
    expect(key.status).toBe(201);
    const current = await raw('GET', '/api/v1/organizations/current', { authorization: `Bearer ${testStack.adminApiKey}`, 'x-organization-id': utf8Header(unicodeOrg) });
    expect(current.status).toBe(200);
    expect(JSON.parse(current.text)).toMatchObject({ organization_id: unicodeOrg, is_admin: true });
    const keys = await raw('GET', '/api/v1/api-keys', { authorization: `Bearer ${testStack.adminApiKey}`, 'x-organization-id': utf8Header(unicodeOrg) });
    expect(keys.status).toBe(200);
    const names = (JSON.parse(keys.text).data as Array<{ name: string; organization_id: string }>).map((k) => [k.organization_id, k.name]);
    expect(names).toEqual([[unicodeOrg, 'unicode-org']]);
    // The organization key of that id sees itself the same way.
    const own = await new ApiClient(testStack.gatewayUrl, key.body.api_key).get('/api/v1/organizations/current');
    expect(own.body.organization_id).toBe(unicodeOrg);
  });

  it('answers 400 naming X-Organization-Id for an id integration-config could never hold', async () => {
    for (const value of ['x'.repeat(201), '\u00e9t\u00e9', 'a\tb']) {
      const answer = await raw('GET', '/api/v1/organizations/current', { authorization: `Bearer ${testStack.adminApiKey}`, 'x-organization-id': value });
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.text).error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'X-Organization-Id' });
    }
  });

  it('forwards a plain query string and refuses one with encoded control characters', async () => {
    const ok = await raw('GET', '/api/v1/integrations?integration_type=pagerduty', { authorization: `Bearer ${orgKey}` });
    expect(ok.status).toBe(200);
    const bad = await raw('GET', '/api/v1/integrations?x=%00', { authorization: `Bearer ${orgKey}` });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text).error.field).toBe('x');
  });

  it('routes a percent-encoded spelling of a real path to the same place (normalised, not raw)', async () => {
    const answer = await raw('GET', '/api/v1/%69ntegrations', { authorization: `Bearer ${orgKey}` });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text).data.map((i: { id: string }) => i.id)).toContain(integrationId);
  });
});

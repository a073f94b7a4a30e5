import { OpenAPIBackend } from 'openapi-backend';
import addFormats from 'ajv-formats';
import { INTERNAL_HEADERS } from '@incident-sync/contracts';
import { TEST_PORTS, testStack, uniqueId } from '@incident-sync/testing';
import { DOCS_CSP } from '../src/api-docs';
import { OpenApiDocument } from '../src/openapi-merge';
import { ROUTES, routeFor } from '../src/route-table';
import { PUBLIC_ROUTES } from './security/support/public-routes';

/**
 * The API reference against the running test stack: GET /api/docs.json documents exactly the
 * public routes (PUBLIC_ROUTES, which the unit tier keeps equal to every controller route
 * outside /internal and /health), each where the gateway's route table sends it; it is valid
 * OpenAPI 3; GET /api/docs serves Swagger UI from the gateway under a strict CSP.
 */
const gateway = testStack.gatewayUrl;
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

async function reference(): Promise<OpenApiDocument> {
  const response = await fetch(`${gateway}/api/docs.json`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return (await response.json()) as OpenApiDocument;
}

function operations(doc: OpenApiDocument): Array<{ method: string; path: string; operation: Record<string, unknown> }> {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).filter(([method]) => METHODS.includes(method)).map(([method, operation]) => ({ method, path, operation: operation as Record<string, unknown> })));
}

/** Is it valid OpenAPI 3? openapi-backend checks a definition against the OpenAPI 3.0 schema. */
async function validate(definition: unknown): Promise<void> {
  const api = new OpenAPIBackend({ definition: definition as never, strict: true, customizeAjv: (ajv) => addFormats(ajv as never) as never });
  await api.init();
}

describe('the API reference (GET /api/docs.json)', () => {
  let doc: OpenApiDocument;
  beforeAll(async () => {
    doc = await reference();
  });

  it('documents every public route with its method, and nothing else (drift check)', () => {
    const documented = operations(doc).map((o) => `${o.method.toUpperCase()} ${o.path}`).sort();
    const routes = PUBLIC_ROUTES.map((r) => `${r.method} ${r.path.replace(/:([A-Za-z]+)/g, '{$1}')}`).sort();
    expect(routes.length).toBeGreaterThan(40);
    expect(documented).toEqual(routes);
    // The status page (/status) is HTML served by the gateway itself, not part of the JSON API:
    // it is neither routed nor documented (status-page.e2e-spec.ts and the security tier cover it).
    expect(Object.keys(doc.paths).filter((p) => !p.startsWith('/api/v1/'))).toEqual([]);
  });

  it('places each documented path on the service the gateway routes it to, and every route-table entry is documented', () => {
    for (const { path, operation } of operations(doc)) {
      const route = routeFor(path.replace(/\{[^}]+\}/g, 'x'));
      expect({ path, upstream: route?.upstream }).toEqual({ path, upstream: (operation.tags as string[])[0] });
    }
    for (const route of ROUTES) {
      expect({ route: String(route.pattern), documented: Object.keys(doc.paths).some((p) => route.pattern.test(p.replace(/\{[^}]+\}/g, 'x'))) })
        .toEqual({ route: String(route.pattern), documented: true });
    }
  });

  it('is valid OpenAPI 3, and the validator rejects a broken copy', async () => {
    expect(doc.openapi).toMatch(/^3\.0\./);
    await expect(validate(doc)).resolves.toBeUndefined();
    const broken = JSON.parse(JSON.stringify(doc)) as OpenApiDocument;
    (broken.paths['/api/v1/incidents'] as Record<string, Record<string, unknown>>).get!.responses = 'none';
    await expect(validate(broken)).rejects.toThrow();
  });

  it('requires the API key on every operation except the signed webhook delivery, and describes request bodies', () => {
    expect(doc.components?.securitySchemes).toEqual({ apiKey: expect.objectContaining({ type: 'http', scheme: 'bearer' }) });
    expect(doc.security).toEqual([{ apiKey: [] }]);
    const open = operations(doc).filter((o) => Array.isArray(o.operation.security) && (o.operation.security as unknown[]).length === 0);
    expect(open.map((o) => `${o.method} ${o.path}`)).toEqual(['post /api/v1/webhooks/{integrationId}']);
    const create = doc.components?.schemas?.CreateIncidentDto as { required: string[]; properties: Record<string, Record<string, unknown>> };
    expect(create.required).toEqual(expect.arrayContaining(['title', 'severity']));
    expect(create.properties.severity).toMatchObject({ enum: ['SEV-1', 'SEV-2', 'SEV-3', 'SEV-4'] });
  });

  it('needs no API key and carries no tenant data', async () => {
    const name = `Docs canary ${uniqueId()}`;
    const created = await fetch(`${gateway}/api/v1/api-keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${testStack.adminApiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ organization_id: `docs-org-${uniqueId()}`, name }),
    });
    expect(created.status).toBe(201);
    const text = await (await fetch(`${gateway}/api/docs.json`)).text();
    expect(text).not.toContain(name);
    expect(text).not.toContain(testStack.adminApiKey);
    expect(text).not.toMatch(/\/internal\/|\/health|\/metrics/);
  });
});

describe('each service\'s part (GET /internal/v1/openapi.json)', () => {
  const services = ['integration-config', 'incidents', 'webhook-ingress', 'sync-engine', 'outbound-dispatcher', 'dlq-manager'] as const;

  it.each(services)('%s answers its part to the internal token only', async (service) => {
    const url = `${testStack.serviceUrl(TEST_PORTS[service])}/internal/v1/openapi.json`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { [INTERNAL_HEADERS.gatewayToken]: testStack.gatewayToken } })).status).toBe(401);
    const part = await fetch(url, { headers: { [INTERNAL_HEADERS.internalToken]: testStack.internalToken } });
    expect(part.status).toBe(200);
    const paths = Object.keys(((await part.json()) as OpenApiDocument).paths);
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.every((p) => p.startsWith('/api/v1/'))).toBe(true);
  });

  it('is not reachable through the gateway', async () => {
    for (const path of ['/api/v1/../internal/v1/openapi.json', '/api/v1/internal/v1/openapi.json', '/api/v1/incidents/../../../internal/v1/openapi.json']) {
      const response = await fetch(`${gateway}${path}`, { headers: { authorization: `Bearer ${testStack.adminApiKey}` } });
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(await response.text()).not.toContain('"openapi"');
    }
    // The gateway's own /internal routes want the internal token, which no public caller has.
    expect((await fetch(`${gateway}/internal/v1/openapi.json`)).status).toBe(401);
  });
});

describe('the interactive reference (GET /api/docs)', () => {
  it('serves Swagger UI from the gateway itself, with no inline script, under a strict CSP', async () => {
    const page = await fetch(`${gateway}/api/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toBe(DOCS_CSP);
    expect(DOCS_CSP).toMatch(/default-src 'none'/);
    expect(DOCS_CSP).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    const html = await page.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets.sort()).toEqual(['docs/init.js', 'docs/swagger-ui-bundle.js', 'docs/swagger-ui.css']);
    for (const asset of assets) {
      const response = await fetch(new URL(asset, `${gateway}/api/docs`));
      expect({ asset, status: response.status }).toEqual({ asset, status: 200 });
      expect(response.headers.get('content-type')).toMatch(asset.endsWith('.css') ? /^text\/css/ : /^text\/javascript/);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    }
    const init = await (await fetch(`${gateway}/api/docs/init.js`)).text();
    expect(init).toContain("url: 'docs.json'");
  });
});

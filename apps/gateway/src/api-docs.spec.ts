import Fastify from 'fastify';
import { registerApiDocs } from './api-docs';
import { Upstream } from './route-table';

/** Nothing listens on port 1: every part is unreachable. */
const nowhere = 'http://127.0.0.1:1';
const upstreams = Object.fromEntries(['integration-config', 'incidents', 'webhook-ingress', 'sync-engine', 'outbound-dispatcher', 'dlq-manager'].map((s) => [s, nowhere])) as Record<Upstream, string>;

describe('the API reference routes', () => {
  const fastify = Fastify();
  beforeAll(async () => {
    registerApiDocs(fastify, { upstreams, internalToken: 'i'.repeat(32) });
    await fastify.ready();
  });
  afterAll(() => fastify.close());

  it('answers 503 DEPENDENCY_UNAVAILABLE, naming no internal address, while a service does not answer', async () => {
    const response = await fastify.inject({ method: 'GET', url: '/api/docs.json' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ error: { code: 'DEPENDENCY_UNAVAILABLE', message: expect.stringContaining('API reference') } });
    expect(response.body).not.toContain('127.0.0.1');
  });

  it('serves only the named Swagger UI files, each under the CSP', async () => {
    for (const url of ['/api/docs', '/api/docs/swagger-ui.css', '/api/docs/swagger-ui-bundle.js', '/api/docs/init.js']) {
      const response = await fastify.inject({ method: 'GET', url });
      expect({ url, status: response.statusCode }).toEqual({ url, status: 200 });
      expect(response.headers['content-security-policy']).toContain("default-src 'none'");
    }
    for (const url of ['/api/docs/package.json', '/api/docs/index.html', '/api/docs/swagger-initializer.js', '/api/docs/..%2f..%2fpackage.json']) {
      expect({ url, status: (await fastify.inject({ method: 'GET', url })).statusCode }).toEqual({ url, status: 404 });
    }
  });
});

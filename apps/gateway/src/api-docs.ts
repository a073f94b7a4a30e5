import { Logger } from '@nestjs/common';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ErrorBody, INTERNAL_HEADERS } from '@incident-sync/contracts';
import { mergeOpenApiParts, OpenApiDocument } from './openapi-merge';
import { Upstream } from './route-table';

export interface ApiDocsOptions {
  upstreams: Record<Upstream, string>;
  /** Each part is an internal route of its service: the gateway's own call, with the internal token. */
  internalToken: string;
  /** How long a merged reference is served before the parts are asked again. */
  cacheTtlMs?: number;
}

/**
 * The page's policy: everything from the gateway itself, no inline script or style, no
 * framing. Swagger UI draws its icons as data: images and calls the API on this origin.
 */
export const DOCS_CSP = [
  "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "font-src 'self'",
  "connect-src 'self'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
].join('; ');

const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>incident-sync API reference</title>
<link rel="stylesheet" href="docs/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="docs/swagger-ui-bundle.js"></script>
<script src="docs/init.js"></script>
</body>
</html>
`;

/** No inline script under the CSP: the page's one line of setup is a file of its own. Syntax
 * highlighting is off: it writes inline `style` attributes, which style-src 'self' refuses. */
const INIT = `window.ui = SwaggerUIBundle({ url: 'docs.json', dom_id: '#swagger-ui', presets: [SwaggerUIBundle.presets.apis], layout: 'BaseLayout', deepLinking: true, syntaxHighlight: false });\n`;

/** Swagger UI's own files, from swagger-ui-dist, served by name (no path taken from the request). */
function assets(): Record<string, { type: string; body: Buffer | string }> {
  const dist = dirname(require.resolve('swagger-ui-dist/package.json'));
  return {
    'swagger-ui.css': { type: 'text/css; charset=utf-8', body: readFileSync(join(dist, 'swagger-ui.css')) },
    'swagger-ui-bundle.js': { type: 'text/javascript; charset=utf-8', body: readFileSync(join(dist, 'swagger-ui-bundle.js')) },
    'init.js': { type: 'text/javascript; charset=utf-8', body: INIT },
  };
}

function secured(reply: FastifyReply, type: string): FastifyReply {
  return reply
    .header('content-type', type)
    .header('content-security-policy', DOCS_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', 'no-cache');
}

/**
 * The API reference, public like any API reference: GET /api/docs.json (OpenAPI 3, merged
 * from each service's GET /internal/v1/openapi.json) and GET /api/docs (Swagger UI). It is
 * built from the code only — routes and DTO shapes — so it carries no tenant data, and it
 * needs no API key (calls made from the page still do: the page's "Authorize" takes one).
 */
export function registerApiDocs(fastify: FastifyInstance, options: ApiDocsOptions): void {
  const logger = new Logger('ApiDocs');
  const files = assets();
  const ttl = options.cacheTtlMs ?? 60_000;
  let cached: { at: number; document: OpenApiDocument } | undefined;

  async function fetchPart(service: Upstream, url: string): Promise<{ service: Upstream; document: OpenApiDocument }> {
    const response = await fetch(`${url}/internal/v1/openapi.json`, {
      headers: { [INTERNAL_HEADERS.internalToken]: options.internalToken },
      signal: AbortSignal.timeout(5000),
    });
    if (!response.ok) throw new Error(`${service} answered ${response.status}`);
    return { service, document: (await response.json()) as OpenApiDocument };
  }

  async function reference(): Promise<OpenApiDocument> {
    if (cached && Date.now() - cached.at < ttl) return cached.document;
    const parts = await Promise.all(Object.entries(options.upstreams).map(([service, url]) => fetchPart(service as Upstream, url)));
    const document = mergeOpenApiParts(parts, {
      title: 'incident-sync API',
      version: '1',
      description: 'The public API, under /api/v1, behind the gateway. Every route needs an API key except the PagerDuty webhook delivery (signed by PagerDuty).',
    });
    cached = { at: Date.now(), document };
    return document;
  }

  fastify.get('/api/docs.json', async (_request, reply) => {
    try {
      return secured(reply, 'application/json; charset=utf-8').send(JSON.stringify(await reference()));
    } catch (error) {
      logger.warn({ msg: 'API reference unavailable', err: error });
      const body: ErrorBody = { error: { code: 'DEPENDENCY_UNAVAILABLE', message: 'the API reference cannot be assembled right now (a service did not answer); retry shortly' } };
      return reply.status(503).header('content-type', 'application/json; charset=utf-8').send(body);
    }
  });
  fastify.get('/api/docs', async (_request, reply) => secured(reply, 'text/html; charset=utf-8').send(PAGE));
  for (const [name, file] of Object.entries(files)) {
    fastify.get(`/api/docs/${name}`, async (_request, reply) => secured(reply, file.type).send(file.body));
  }
}

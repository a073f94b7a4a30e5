import { Logger } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorBody, ErrorCode, httpStatusOf, INTERNAL_HEADERS } from '@incident-sync/contracts';
import { ApiKeyResolver } from './api-key.resolver';
import { routeFor, Upstream } from './route-table';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-authorization', 'te', 'trailer', 'host', 'content-length']);
const STRIPPED_REQUEST = new Set(['authorization', 'x-api-key', 'x-organization-id', ...Object.values(INTERNAL_HEADERS)]);

export interface ProxyOptions {
  upstreams: Record<Upstream, string>;
  resolver: ApiKeyResolver;
  internalToken: string;
  timeoutMs: number;
}

function fail(reply: FastifyReply, code: ErrorCode, message: string): FastifyReply {
  const body: ErrorBody = { error: { code, message } };
  return reply.status(httpStatusOf(code)).header('content-type', 'application/json; charset=utf-8').send(body);
}

function apiKeyOf(request: FastifyRequest): string | undefined {
  const auth = request.headers.authorization;
  if (typeof auth === 'string' && /^bearer\s+/i.test(auth)) return auth.replace(/^bearer\s+/i, '').trim();
  const key = request.headers['x-api-key'];
  return typeof key === 'string' && key.length > 0 ? key : undefined;
}

/**
 * Forwards /api/v1/* to the owning service. Bodies are kept as raw bytes (webhook
 * signatures are computed over them), the caller's API key is exchanged for trusted
 * organization headers, and an unreachable service answers 503 — never a 4xx, since
 * PagerDuty drops a webhook for good on a 4xx but retries a 5xx.
 */
export function registerProxy(fastify: FastifyInstance, options: ProxyOptions): void {
  const logger = new Logger('Proxy');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  fastify.all('/api/v1/*', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const route = routeFor(path);
    if (!route) return fail(reply, 'NOT_FOUND', `no API route ${request.method} ${path}`);

    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (HOP_BY_HOP.has(name) || STRIPPED_REQUEST.has(name) || value === undefined) continue;
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    headers[INTERNAL_HEADERS.internalToken] = options.internalToken;

    if (!route.public) {
      const key = apiKeyOf(request);
      if (!key) return fail(reply, 'UNAUTHENTICATED', 'missing API key: send "Authorization: Bearer <key>" (or X-API-Key)');
      let identity;
      try {
        identity = await options.resolver.resolve(key);
      } catch (error) {
        logger.warn({ msg: 'API key check failed', err: error });
        return fail(reply, 'DEPENDENCY_UNAVAILABLE', 'cannot verify API keys right now; retry shortly');
      }
      if (!identity) return fail(reply, 'UNAUTHENTICATED', 'invalid API key');
      const requestedOrg = request.headers['x-organization-id'];
      const org = identity.is_admin ? (typeof requestedOrg === 'string' && requestedOrg ? requestedOrg : null) : identity.organization_id;
      if (org) headers[INTERNAL_HEADERS.organizationId] = org;
      headers[INTERNAL_HEADERS.isAdmin] = String(identity.is_admin);
      headers[INTERNAL_HEADERS.actor] = identity.name;
    }

    const body = request.body instanceof Buffer && request.method !== 'GET' && request.method !== 'HEAD' ? request.body : undefined;
    let upstream: Response;
    try {
      upstream = await fetch(`${options.upstreams[route.upstream]}${request.url}`, {
        method: request.method,
        headers,
        body,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (error) {
      logger.warn({ msg: 'upstream unreachable', upstream: route.upstream, method: request.method, path, err: error });
      return fail(reply, 'DEPENDENCY_UNAVAILABLE', `${route.upstream} is unavailable; retry shortly`);
    }
    reply.status(upstream.status);
    upstream.headers.forEach((value, name) => {
      if (!HOP_BY_HOP.has(name) && name !== 'content-encoding') reply.header(name, value);
    });
    return reply.send(Buffer.from(await upstream.arrayBuffer()));
  });
}

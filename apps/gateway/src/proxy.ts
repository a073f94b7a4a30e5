import { Logger } from '@nestjs/common';
import replyFrom from '@fastify/reply-from';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import { encodeTrustedHeader, ErrorBody, ErrorCode, httpStatusOf, INTERNAL_HEADER_PREFIX, INTERNAL_HEADERS } from '@incident-sync/contracts';
import { ApiKeyResolver, CallerIdentity } from './api-key.resolver';
import { normaliseTarget } from './path-normaliser';
import { routeFor, Upstream } from './route-table';
import { validateOrganizationHeader } from './organization-header';

/** Connection-level headers (RFC 9110 §7.6.1) and ones the upstream client cannot forward. */
const HOP_BY_HOP = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade',
  'host', 'content-length', 'expect', 'http2-settings',
]);
/** Credentials and inputs the gateway consumes itself; never forwarded as sent. */
const CONSUMED = new Set(['authorization', 'x-api-key', 'x-organization-id']);

export interface ProxyOptions {
  upstreams: Record<Upstream, string>;
  resolver: ApiKeyResolver;
  /** Attached to every forwarded request. Never the internal token: /internal/ routes refuse this one. */
  gatewayToken: string;
  timeoutMs: number;
}

function fail(reply: FastifyReply, code: ErrorCode, message: string, field?: string): FastifyReply {
  const body: ErrorBody = { error: field ? { code, message, field } : { code, message } };
  return reply.status(httpStatusOf(code)).header('content-type', 'application/json; charset=utf-8').send(body);
}

export function apiKeyOf(request: FastifyRequest): string | undefined {
  const auth = request.headers.authorization;
  if (typeof auth === 'string' && /^bearer\s+/i.test(auth)) return auth.replace(/^bearer\s+/i, '').trim();
  const key = request.headers['x-api-key'];
  return typeof key === 'string' && key.length > 0 ? key : undefined;
}

/**
 * What a service is told about a caller the gateway authenticated: the gateway token (never the
 * internal one) and the organization, admin flag and actor, percent-encoded. The status page
 * calls the services with the same headers, so it sees exactly what the caller's key may see.
 */
export function callerHeaders(gatewayToken: string, identity: CallerIdentity, organizationId: string | null): Record<string, string> {
  const trusted: Record<string, string> = { [INTERNAL_HEADERS.gatewayToken]: gatewayToken };
  if (organizationId) trusted[INTERNAL_HEADERS.organizationId] = encodeTrustedHeader(organizationId);
  trusted[INTERNAL_HEADERS.isAdmin] = String(identity.is_admin);
  trusted[INTERNAL_HEADERS.actor] = encodeTrustedHeader(identity.name);
  return trusted;
}

/** Header names the Connection header lists: hop-by-hop by declaration. */
function connectionListed(headers: IncomingHttpHeaders): Set<string> {
  const value = headers.connection;
  const list = typeof value === 'string' ? value : '';
  return new Set(list.split(',').map((name) => name.trim().toLowerCase()).filter(Boolean));
}

/** True for a header the gateway never passes on, in either direction. */
function isDropped(name: string, listed: Set<string>): boolean {
  return HOP_BY_HOP.has(name) || listed.has(name) || name.startsWith('proxy-') || name.startsWith(INTERNAL_HEADER_PREFIX) || name.startsWith(':');
}

/** The client's end-to-end headers, minus hop-by-hop, consumed and trusted ones. */
export function forwardableHeaders(incoming: IncomingHttpHeaders): Record<string, string | string[]> {
  const listed = connectionListed(incoming);
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined || CONSUMED.has(name) || isDropped(name, listed)) continue;
    out[name] = value;
  }
  return out;
}

/** Response headers from a service, minus hop-by-hop and internal ones. */
export function returnableHeaders(incoming: IncomingHttpHeaders): IncomingHttpHeaders {
  const listed = connectionListed(incoming);
  const out: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined) continue;
    if (name !== 'content-length' && isDropped(name, listed)) continue;
    out[name] = value;
  }
  return out;
}

/**
 * Forwards /api/v1/* to the owning service with @fastify/reply-from (undici). Every request
 * target is normalised first (path-normaliser.ts): anything ambiguous answers 400 before a
 * route is chosen, and only the normalised path is routed and forwarded. Bodies are kept as
 * raw bytes (webhook signatures are computed over them); the caller's API key is exchanged for
 * trusted, percent-encoded organization headers plus the gateway token. An unreachable service
 * answers 503 — never a 4xx, since PagerDuty drops a webhook for good on a 4xx but retries a 5xx.
 */
export async function registerProxy(fastify: FastifyInstance, options: ProxyOptions): Promise<void> {
  const logger = new Logger('Proxy');
  await fastify.register(replyFrom, {
    // No retries: a service's own 503 is passed on as is, and non-idempotent calls are never repeated.
    retryMethods: [],
    disableRequestLogging: true,
    undici: { connections: 64, headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs },
  });
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  // Every request, whatever route it matched: refuse ambiguous targets before anything else.
  fastify.addHook('onRequest', async (request, reply) => {
    const target = normaliseTarget(request.url);
    if (!target.ok) return fail(reply, 'VALIDATION_FAILED', `invalid request path: ${target.reason}`, target.field ?? 'path');
    return undefined;
  });

  const upstreamBase = Object.fromEntries(
    Object.entries(options.upstreams).map(([name, url]) => {
      const parsed = new URL(url);
      return [name, { origin: parsed.origin, prefix: parsed.pathname.replace(/\/+$/, '') }];
    }),
  ) as Record<Upstream, { origin: string; prefix: string }>;

  fastify.all('/api/v1/*', async (request, reply) => {
    const target = normaliseTarget(request.url);
    if (!target.ok) return fail(reply, 'VALIDATION_FAILED', `invalid request path: ${target.reason}`, target.field ?? 'path');
    const { path, query } = target;
    const route = routeFor(path);
    if (!route) return fail(reply, 'NOT_FOUND', `no API route ${request.method} ${path}`);

    let trusted: Record<string, string> = { [INTERNAL_HEADERS.gatewayToken]: options.gatewayToken };
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
      let org = identity.organization_id;
      if (identity.is_admin) {
        const requested = validateOrganizationHeader(request.headers['x-organization-id']);
        if (!requested.ok) return fail(reply, 'VALIDATION_FAILED', `X-Organization-Id ${requested.reason}`, 'X-Organization-Id');
        org = requested.value;
      }
      trusted = callerHeaders(options.gatewayToken, identity, org);
    }

    const base = upstreamBase[route.upstream];
    const forwardedPath = `${base.prefix}${path}`;
    const source = `${base.origin}${forwardedPath}`;
    // The URL the client will request is exactly the normalised path under the upstream: nothing
    // (dot segments, encoded separators) is left for a later parser to resolve differently.
    if (new URL(source).pathname !== forwardedPath || !route.pattern.test(path)) {
      return fail(reply, 'VALIDATION_FAILED', 'invalid request path', 'path');
    }
    const hasBody = request.body instanceof Buffer && request.method !== 'GET' && request.method !== 'HEAD';
    const contentType = request.headers['content-type'];
    return reply.from(source, {
      queryString: () => query,
      ...(hasBody ? { body: request.body, contentType: typeof contentType === 'string' ? contentType : 'application/octet-stream' } : {}),
      timeout: options.timeoutMs,
      rewriteRequestHeaders: (_req, headers) => ({ ...forwardableHeaders(headers as IncomingHttpHeaders), ...trusted }),
      rewriteHeaders: (headers) => returnableHeaders(headers as IncomingHttpHeaders),
      onError: (failed, { error }) => {
        const code = (error as { code?: string; cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code ?? 'unknown';
        logger.warn({ msg: 'upstream unreachable', upstream: route.upstream, method: request.method, code });
        fail(failed as unknown as FastifyReply, 'DEPENDENCY_UNAVAILABLE', `${route.upstream} is unavailable; retry shortly`);
      },
    });
  });
}

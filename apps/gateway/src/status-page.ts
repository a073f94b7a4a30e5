import { Logger } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiKeyResolver, CallerIdentity } from './api-key.resolver';
import { apiKeyOf, callerHeaders } from './proxy';
import { Upstream } from './route-table';
import { gatherStatus } from './status-data';
import { renderError, renderSignIn, renderStatusPage, STATUS_CSS } from './status-render';
import { isSameOriginPost, sessionCookie, sessionIdOf, STATUS_COOKIE, StatusSessions } from './status-session';

/**
 * The status pages' policy: nothing but the gateway's own stylesheet; no script of any kind
 * (the page has none), no images but inline SVG, forms posting only here, no framing.
 */
export const STATUS_CSP = [
  "default-src 'none'", "style-src 'self'", "img-src 'self'", "form-action 'self'", "base-uri 'none'", "frame-ancestors 'none'",
].join('; ');

/** Longest API key the form accepts (keys are far shorter; integration-config caps them too). */
const MAX_KEY_LENGTH = 2048;

export interface StatusPageOptions {
  upstreams: Record<Upstream, string>;
  resolver: ApiKeyResolver;
  /** Calls to the services carry the gateway token and the caller's organization, as forwarded requests do. */
  gatewayToken: string;
  sessions?: StatusSessions;
}

function secured(reply: FastifyReply, status: number, type = 'text/html; charset=utf-8'): FastifyReply {
  return reply.status(status)
    .header('content-type', type)
    .header('content-security-policy', STATUS_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY')
    // Not no-referrer: under it Chromium sends `Origin: null` on the page's own form POSTs, which
    // the CSRF check needs to see. same-origin still sends nothing to any other site.
    .header('referrer-policy', 'same-origin')
    // Tenant data: never kept by a shared cache or the browser's back-forward history.
    .header('cache-control', 'no-store');
}

const redirect = (reply: FastifyReply, location: string): FastifyReply => secured(reply, 303).header('location', location).send('');
const isHttps = (request: FastifyRequest): boolean => request.protocol === 'https';

/**
 * GET /status: each integration's health and figures, pending dead letters, recent decisions
 * per incident and an outbound latency chart, for the caller's organization only. The caller is
 * known by `Authorization: Bearer <key>` (or X-API-Key), like the API, or by the session cookie
 * the sign-in form sets; the cookie is accepted here and nowhere else (its Path is /status, and
 * the proxy reads only the headers). Form POSTs must come from this origin (SameSite=Strict plus
 * an Origin check), so another site can neither sign a browser in nor out.
 */
export function registerStatusPage(fastify: FastifyInstance, options: StatusPageOptions): void {
  const logger = new Logger('StatusPage');
  const sessions = options.sessions ?? new StatusSessions();

  /** The caller's identity, or null when the key is unknown; throws when keys cannot be checked. */
  const identify = (key: string): Promise<CallerIdentity | null> => options.resolver.resolve(key);

  fastify.get('/status/status.css', async (_request, reply) => secured(reply, 200, 'text/css; charset=utf-8').header('cache-control', 'no-cache').send(STATUS_CSS));
  fastify.get('/status/sign-in', async (_request, reply) => secured(reply, 200).send(renderSignIn()));

  fastify.get('/status', async (request, reply) => {
    const headerKey = apiKeyOf(request);
    const sessionId = headerKey === undefined ? sessionIdOf(request.headers.cookie) : undefined;
    const key = headerKey ?? (sessionId === undefined ? undefined : sessions.apiKeyOf(sessionId));
    const expired = (): FastifyReply => redirect(reply.header('set-cookie', sessionCookie(null, isHttps(request))), '/status/sign-in');
    if (key === undefined) return request.headers.cookie?.includes(`${STATUS_COOKIE}=`) ? expired() : redirect(reply, '/status/sign-in');
    let identity: CallerIdentity | null;
    try {
      identity = await identify(key);
    } catch (error) {
      logger.warn({ msg: 'API key check failed', err: error });
      return secured(reply, 503).send(renderError('DEPENDENCY_UNAVAILABLE', 'cannot verify API keys right now; retry shortly'));
    }
    if (identity === null) {
      if (sessionId === undefined) return secured(reply, 401).send(renderError('UNAUTHENTICATED', 'invalid API key'));
      sessions.destroy(sessionId); // the key was deleted since sign-in
      return expired();
    }
    if (identity.is_admin || !identity.organization_id) {
      return secured(reply, 403).send(renderError('VALIDATION_FAILED', 'the status page shows one organization: use an organization\'s API key (im api-key create --org <organization>), not the admin key'));
    }
    const data = await gatherStatus(options.upstreams, callerHeaders(options.gatewayToken, identity, identity.organization_id), identity.organization_id);
    return secured(reply, 200).send(renderStatusPage(data, { signOut: sessionId !== undefined }));
  });

  fastify.post('/status/sign-in', async (request, reply) => {
    if (!isSameOriginPost(request.headers)) return secured(reply, 403).send(renderError('CROSS_ORIGIN', 'the sign-in form must be posted from this page (Origin of another site, or none)'));
    const form = formOf(request);
    if (!form.ok) return secured(reply, form.status).send(renderSignIn({ code: 'VALIDATION_FAILED', field: form.field, message: form.message }));
    const key = form.fields.get('api_key')?.trim() ?? '';
    if (key.length === 0) return secured(reply, 400).send(renderSignIn({ code: 'VALIDATION_FAILED', field: 'api_key', message: 'is required' }));
    if (key.length > MAX_KEY_LENGTH) return secured(reply, 400).send(renderSignIn({ code: 'VALIDATION_FAILED', field: 'api_key', message: `is longer than ${MAX_KEY_LENGTH} characters` }));
    let identity: CallerIdentity | null;
    try {
      identity = await identify(key);
    } catch (error) {
      logger.warn({ msg: 'API key check failed', err: error });
      return secured(reply, 503).send(renderSignIn({ code: 'DEPENDENCY_UNAVAILABLE', field: 'api_key', message: 'cannot verify API keys right now; retry shortly' }));
    }
    if (identity === null) return secured(reply, 401).send(renderSignIn({ code: 'UNAUTHENTICATED', field: 'api_key', message: 'invalid API key' }));
    if (identity.is_admin || !identity.organization_id) {
      return secured(reply, 400).send(renderSignIn({ code: 'VALIDATION_FAILED', field: 'api_key', message: 'the admin key belongs to no organization: sign in with an organization\'s key' }));
    }
    const previous = sessionIdOf(request.headers.cookie);
    if (previous !== undefined) sessions.destroy(previous);
    logger.log({ msg: 'status page sign-in', organizationId: identity.organization_id, keyId: identity.key_id });
    return redirect(reply.header('set-cookie', sessionCookie(sessions.create(key), isHttps(request))), '/status');
  });

  fastify.post('/status/sign-out', async (request, reply) => {
    if (!isSameOriginPost(request.headers)) return secured(reply, 403).send(renderError('CROSS_ORIGIN', 'sign-out must be posted from this page'));
    const sessionId = sessionIdOf(request.headers.cookie);
    if (sessionId !== undefined) sessions.destroy(sessionId);
    return redirect(reply.header('set-cookie', sessionCookie(null, isHttps(request))), '/status/sign-in');
  });
}

type FormResult = { ok: true; fields: URLSearchParams } | { ok: false; status: number; field: string; message: string };

/** An application/x-www-form-urlencoded body (the gateway keeps bodies as raw bytes). */
function formOf(request: FastifyRequest): FormResult {
  const type = String(request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') return { ok: false, status: 415, field: 'Content-Type', message: 'must be application/x-www-form-urlencoded (the sign-in form)' };
  const body = request.body instanceof Buffer ? request.body : Buffer.alloc(0);
  if (body.length > 16 * 1024) return { ok: false, status: 413, field: 'body', message: 'is larger than 16 KiB' };
  return { ok: true, fields: new URLSearchParams(body.toString('utf8')) };
}

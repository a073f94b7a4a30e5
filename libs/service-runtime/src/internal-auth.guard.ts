import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError, INTERNAL_HEADERS } from '@incident-sync/contracts';
import { IS_PUBLIC } from './public.decorator';
import { GATEWAY_TOKEN, INTERNAL_TOKEN } from './service-name.token';

type Headers = Record<string, string | string[] | undefined>;
interface GuardedRequest {
  headers: Headers;
  url?: string;
  /** fastify 5: the route as registered (e.g. `/internal/v1/integrations/:id`), not the raw URL. */
  routeOptions?: { url?: string };
}

/** Constant-time equality of a presented header value and a secret (digests: equal lengths). */
function matches(presented: string | string[] | undefined, expected: Buffer): boolean {
  if (typeof presented !== 'string' || presented.length === 0) return false;
  const given = createHash('sha256').update(presented).digest();
  return timingSafeEqual(given, expected);
}

const digest = (secret: string): Buffer => createHash('sha256').update(secret).digest();

/**
 * Services sit behind the gateway. Two credentials, by route:
 * - public `/api/v1/...` routes accept the gateway token (what the gateway attaches to
 *   forwarded public traffic) or the internal token (service-to-service calls);
 * - every other route (`/internal/...` and anything not under `/api/`) accepts ONLY the
 *   internal token, which the gateway never attaches to public traffic.
 * The route is classified by the pattern the framework matched, never by the raw URL. With a
 * valid credential the trusted organization headers set by the caller are believed.
 */
@Injectable()
export class InternalAuthGuard implements CanActivate {
  private readonly internal: Buffer;
  private readonly gateway: Buffer;
  constructor(private readonly reflector: Reflector, @Inject(INTERNAL_TOKEN) internalToken: string, @Inject(GATEWAY_TOKEN) gatewayToken: string) {
    if (!internalToken || !gatewayToken) throw new Error('InternalAuthGuard needs both INTERNAL_TOKEN and GATEWAY_TOKEN');
    if (internalToken === gatewayToken) throw new Error('GATEWAY_TOKEN must differ from INTERNAL_TOKEN');
    this.internal = digest(internalToken);
    this.gateway = digest(gatewayToken);
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<GuardedRequest>();
    const internalOk = matches(request.headers[INTERNAL_HEADERS.internalToken], this.internal);
    if (internalOk) return true;
    if (isPublicApiRoute(request) && matches(request.headers[INTERNAL_HEADERS.gatewayToken], this.gateway)) return true;
    throw new AppError('UNAUTHENTICATED', 'requests must come through the gateway with an API key');
  }
}

/**
 * True only for routes registered under `/api/v1/`. Uses the matched route pattern; when the
 * framework does not expose it, the raw path must also be plainly under `/api/v1/` with no
 * dot segment or encoded character that could resolve elsewhere.
 */
export function isPublicApiRoute(request: GuardedRequest): boolean {
  const pattern = request.routeOptions?.url;
  if (typeof pattern === 'string' && pattern.length > 0) return pattern.startsWith('/api/v1/');
  const path = (request.url ?? '').split('?')[0] ?? '';
  return path.startsWith('/api/v1/') && !/%|\\|(^|\/)\.\.?(\/|$)/.test(path);
}

import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppError, INTERNAL_HEADERS } from '@incident-sync/contracts';
import { InternalAuthGuard, isPublicApiRoute } from './internal-auth.guard';

const INTERNAL = 'internal-token-0123456789abcdef';
const GATEWAY = 'gateway-token-0123456789abcdef0123456789';

function contextFor(request: { headers: Record<string, string>; url?: string; routeOptions?: { url?: string } }, isPublic = false): ExecutionContext {
  const handler = (): void => undefined;
  class Controller {}
  if (isPublic) Reflect.defineMetadata('incident-sync:public', true, handler);
  return {
    getType: () => 'http',
    getHandler: () => handler,
    getClass: () => Controller,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
}

const guard = new InternalAuthGuard(new Reflector(), INTERNAL, GATEWAY);
const allowed = (request: Parameters<typeof contextFor>[0], isPublic = false): boolean | string => {
  try {
    return guard.canActivate(contextFor(request, isPublic));
  } catch (error) {
    return error instanceof AppError ? error.code : String(error);
  }
};
const route = (url: string, headers: Record<string, string>) => ({ headers, url, routeOptions: { url } });

describe('InternalAuthGuard', () => {
  it('lets an /internal/ route through with the internal token only', () => {
    expect(allowed(route('/internal/v1/integrations', { [INTERNAL_HEADERS.internalToken]: INTERNAL }))).toBe(true);
    expect(allowed(route('/internal/v1/integrations', { [INTERNAL_HEADERS.gatewayToken]: GATEWAY }))).toBe('UNAUTHENTICATED');
    expect(allowed(route('/internal/v1/ingress/status/:id', { [INTERNAL_HEADERS.internalToken]: GATEWAY }))).toBe('UNAUTHENTICATED');
    expect(allowed(route('/internal/v1/integrations', {}))).toBe('UNAUTHENTICATED');
  });

  it('lets a public /api/v1 route through with the gateway token or the internal token', () => {
    expect(allowed(route('/api/v1/integrations/:ref', { [INTERNAL_HEADERS.gatewayToken]: GATEWAY }))).toBe(true);
    expect(allowed(route('/api/v1/integrations/:ref', { [INTERNAL_HEADERS.internalToken]: INTERNAL }))).toBe(true);
    expect(allowed(route('/api/v1/integrations/:ref', {}))).toBe('UNAUTHENTICATED');
  });

  it('refuses wrong, truncated, extended and swapped tokens', () => {
    for (const headers of [
      { [INTERNAL_HEADERS.gatewayToken]: GATEWAY.slice(0, -1) },
      { [INTERNAL_HEADERS.gatewayToken]: `${GATEWAY}x` },
      { [INTERNAL_HEADERS.gatewayToken]: INTERNAL },
      { [INTERNAL_HEADERS.internalToken]: `${INTERNAL} ` },
      { [INTERNAL_HEADERS.gatewayToken]: '' },
      { 'x-incident-sync-org': 'someone-else' },
    ] as Record<string, string>[]) {
      expect(allowed(route('/api/v1/incidents', headers))).toBe('UNAUTHENTICATED');
    }
  });

  it('classifies by the matched route pattern, not by a raw URL that claims /api/v1', () => {
    const request = { headers: { [INTERNAL_HEADERS.gatewayToken]: GATEWAY }, url: '/api/v1/x/../../internal/v1/integrations', routeOptions: { url: '/internal/v1/integrations' } };
    expect(allowed(request)).toBe('UNAUTHENTICATED');
  });

  it('treats routes outside /api/v1 (and unknown ones) as internal', () => {
    expect(allowed(route('/metrics', { [INTERNAL_HEADERS.gatewayToken]: GATEWAY }))).toBe('UNAUTHENTICATED');
    expect(allowed(route('/api/v2/x', { [INTERNAL_HEADERS.gatewayToken]: GATEWAY }))).toBe('UNAUTHENTICATED');
  });

  it('lets @Public routes (health) through without a token', () => {
    expect(allowed(route('/health/ready', {}), true)).toBe(true);
  });

  it('refuses to start with a missing token or the same token twice', () => {
    expect(() => new InternalAuthGuard(new Reflector(), INTERNAL, INTERNAL)).toThrow(/differ/);
    expect(() => new InternalAuthGuard(new Reflector(), INTERNAL, '')).toThrow();
  });
});

describe('isPublicApiRoute without a route pattern', () => {
  it.each([
    ['/api/v1/incidents', true],
    ['/api/v1/incidents?x=1', true],
    ['/api/v1/../internal/v1/integrations', false],
    ['/api/v1/%2e%2e/internal', false],
    ['/api/v1/a\\..\\internal', false],
    ['/internal/v1/integrations', false],
    ['/api/v1x', false],
  ])('%s → %s', (url, expected) => {
    expect(isPublicApiRoute({ headers: {}, url })).toBe(expected);
  });
});

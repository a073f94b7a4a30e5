import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { timingSafeEqual } from 'node:crypto';
import { AppError, INTERNAL_HEADERS } from '@incident-sync/contracts';
import { IS_PUBLIC } from './public.decorator';
import { INTERNAL_TOKEN } from './service-name.token';

/**
 * Services sit behind the gateway. Only a request carrying the shared internal token is
 * trusted, and with it the organization the gateway resolved from the caller's API key.
 */
@Injectable()
export class InternalAuthGuard implements CanActivate {
  private readonly expected: Buffer;
  constructor(private readonly reflector: Reflector, @Inject(INTERNAL_TOKEN) token: string) {
    this.expected = Buffer.from(token);
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>();
    const presented = request.headers[INTERNAL_HEADERS.internalToken];
    const given = Buffer.from(typeof presented === 'string' ? presented : '');
    if (given.length !== this.expected.length || !timingSafeEqual(given, this.expected)) {
      throw new AppError('UNAUTHENTICATED', 'requests must come through the gateway with an API key');
    }
    return true;
  }
}

import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { AppError, decodeTrustedHeader, INTERNAL_HEADERS } from '@incident-sync/contracts';

export interface RequestContext {
  /** The caller's organization; null only for the bootstrap admin key without an org. */
  organizationId: string | null;
  isAdmin: boolean;
  /** Who acts, for audit and timelines (API key name). */
  actor: string;
}

type Headers = Record<string, string | string[] | undefined>;
const header = (headers: Headers, name: string): string | undefined => {
  const v = headers[name];
  return typeof v === 'string' && v.length > 0 ? v : undefined;
};
/** Organization and actor are percent-encoded on the wire (see INTERNAL_HEADERS). */
const trusted = (headers: Headers, name: string): string | undefined => {
  const raw = header(headers, name);
  if (raw === undefined) return undefined;
  const decoded = decodeTrustedHeader(raw);
  if (decoded === undefined || decoded.length === 0) throw new AppError('UNAUTHENTICATED', `trusted header ${name} is not valid percent-encoding`);
  return decoded;
};

export function requestContextOf(headers: Headers): RequestContext {
  return {
    organizationId: trusted(headers, INTERNAL_HEADERS.organizationId) ?? null,
    isAdmin: header(headers, INTERNAL_HEADERS.isAdmin) === 'true',
    actor: trusted(headers, INTERNAL_HEADERS.actor) ?? 'api',
  };
}

/** The caller's context, as set by the gateway (trusted: InternalAuthGuard checked the token). */
export const Caller = createParamDecorator((_: unknown, context: ExecutionContext): RequestContext =>
  requestContextOf(context.switchToHttp().getRequest<{ headers: Headers }>().headers),
);

/** The caller's organization id; 401 when the call is not scoped to one. */
export const OrgId = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const { organizationId } = requestContextOf(context.switchToHttp().getRequest<{ headers: Headers }>().headers);
  if (!organizationId) {
    throw new AppError('UNAUTHENTICATED', 'this call needs an organization: use an organization API key, or X-Organization-Id with the admin key');
  }
  return organizationId;
});

import { AppError } from '@incident-sync/contracts';
import { RequestContext } from '@incident-sync/service-runtime';

/**
 * The organization a call acts on. An organization key is bound to its organization: a
 * different `organization_id` in the body is a 400 naming that field (never a silent
 * switch, never a hint whether the other organization exists). The admin key names the
 * organization with X-Organization-Id (`im --org`) or, on create, the body's organization_id.
 */
export function organizationOf(caller: RequestContext, requested?: string | null): string {
  const wanted = requested ?? undefined;
  if (!caller.isAdmin) {
    if (!caller.organizationId) throw new AppError('UNAUTHENTICATED', 'this call needs an API key bound to an organization');
    if (wanted !== undefined && wanted !== caller.organizationId) {
      throw AppError.validation('organization_id', "organization_id does not match the API key's organization");
    }
    return caller.organizationId;
  }
  if (caller.organizationId && wanted !== undefined && wanted !== caller.organizationId) {
    throw AppError.validation('organization_id', 'organization_id differs from X-Organization-Id');
  }
  const org = caller.organizationId ?? wanted;
  if (!org) {
    throw AppError.validation('organization_id', 'the admin key must name an organization: send X-Organization-Id (im --org <org>) or organization_id');
  }
  return org;
}

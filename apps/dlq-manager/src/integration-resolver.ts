import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '@incident-sync/contracts';
import type { DeadLetterScope } from './dead-letter-filter';

/** What resolving a slug needs from integration-config (IntegrationConfigClient provides it). */
export interface IntegrationDirectory {
  listForOrganization(organizationId: string): Promise<{ id: string; slug: string }[]>;
}

export const INTEGRATION_DIRECTORY = Symbol('INTEGRATION_DIRECTORY');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `:ref` / `integration=` → the integration id dead letters carry. An id is taken as given
 * (the organization scope still applies, so another organization's id finds nothing); a
 * slug is looked up among the caller's organization's integrations (404 when it is not one).
 */
@Injectable()
export class IntegrationResolver {
  constructor(@Inject(INTEGRATION_DIRECTORY) private readonly directory: IntegrationDirectory) {}

  async resolve(scope: DeadLetterScope, ref: string): Promise<string> {
    const trimmed = ref.trim();
    if (UUID.test(trimmed)) return trimmed.toLowerCase();
    if (!scope.organizationId) throw AppError.validation('integration', 'a slug needs an organization: send X-Organization-Id (im --org) or use the integration id');
    let integrations: { id: string; slug: string }[];
    try {
      integrations = await this.directory.listForOrganization(scope.organizationId);
    } catch {
      throw new AppError('DEPENDENCY_UNAVAILABLE', 'integration-config is unavailable: cannot resolve the integration slug (use the integration id)');
    }
    const found = integrations.find((i) => i.slug === trimmed);
    if (!found) throw AppError.notFound(`integration ${trimmed}`);
    return found.id;
  }
}

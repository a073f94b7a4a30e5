import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '@incident-sync/contracts';
import { IntegrationConfigClient, IntegrationNotFoundError, IntegrationRuntimeConfig } from '@incident-sync/integration-config-client';

export const INTEGRATION_CONFIG_CLIENT = Symbol('INTEGRATION_CONFIG_CLIENT');

/**
 * Integrations as integration-config serves them, cached (invalidated by
 * integration.config.changed). Failing to reach integration-config is retryable for
 * consumers (DEPENDENCY_UNAVAILABLE); an unknown integration is null.
 */
@Injectable()
export class IntegrationDirectory {
  private readonly orgCache = new Map<string, { ids: string[]; expires: number }>();

  constructor(@Inject(INTEGRATION_CONFIG_CLIENT) private readonly client: IntegrationConfigClient) {}

  async find(integrationId: string): Promise<IntegrationRuntimeConfig | null> {
    try {
      return await this.client.get(integrationId);
    } catch (error) {
      if (error instanceof IntegrationNotFoundError) return null;
      throw new AppError('DEPENDENCY_UNAVAILABLE', `integration-config unavailable: ${(error as Error).message}`);
    }
  }

  /** Every integration of the organization (outbound sync and the eligibility of new incidents). */
  async forOrganization(organizationId: string): Promise<IntegrationRuntimeConfig[]> {
    const hit = this.orgCache.get(organizationId);
    if (hit && hit.expires > Date.now()) {
      const configs = await Promise.all(hit.ids.map((id) => this.find(id)));
      if (configs.every((c) => c !== null)) return configs as IntegrationRuntimeConfig[];
    }
    let list: IntegrationRuntimeConfig[];
    try {
      list = await this.client.listForOrganization(organizationId);
    } catch (error) {
      throw new AppError('DEPENDENCY_UNAVAILABLE', `integration-config unavailable: ${(error as Error).message}`);
    }
    this.orgCache.set(organizationId, { ids: list.map((c) => c.id), expires: Date.now() + 10000 });
    return list;
  }

  /** `:ref` of the REST API: id or slug, within the caller's organization; another org's → 404. */
  async resolve(organizationId: string, ref: string): Promise<IntegrationRuntimeConfig> {
    const list = await this.forOrganization(organizationId);
    let found = list.find((c) => c.id === ref || c.slug === ref);
    if (!found) {
      this.orgCache.delete(organizationId);
      found = (await this.forOrganization(organizationId)).find((c) => c.id === ref || c.slug === ref);
    }
    if (!found) throw AppError.notFound(`integration ${ref}`);
    return found;
  }

  invalidate(integrationId: string, organizationId?: string): void {
    this.client.invalidate(integrationId);
    if (organizationId) this.orgCache.delete(organizationId);
    else this.orgCache.clear();
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '@incident-sync/contracts';
import { IntegrationConfigClient, IntegrationNotFoundError, IntegrationRuntimeConfig } from '@incident-sync/integration-config-client';

export const INTEGRATION_CONFIG_CLIENT = Symbol('INTEGRATION_CONFIG_CLIENT');

/** Integrations (token, base URL, From, rate limit, backoff) through the cached config client. */
@Injectable()
export class IntegrationDirectory {
  constructor(@Inject(INTEGRATION_CONFIG_CLIENT) private readonly client: IntegrationConfigClient) {}

  /** Throws IntegrationNotFoundError for an unknown (deleted) integration, anything else when unreachable. */
  get(integrationId: string): Promise<IntegrationRuntimeConfig> {
    return this.client.get(integrationId);
  }

  /**
   * For HTTP edges: `ref` is an id or the organization's slug for it (integration-config's
   * internal API reads ids only). Unknown, or another organization's, is a 404 (never a 403).
   */
  async getForOrganization(organizationId: string, ref: string): Promise<IntegrationRuntimeConfig> {
    let config: IntegrationRuntimeConfig | undefined;
    try {
      try {
        config = await this.client.get(ref);
      } catch (error) {
        if (!(error instanceof IntegrationNotFoundError)) throw error;
        config = (await this.client.listForOrganization(organizationId)).find((c) => c.slug === ref);
      }
    } catch {
      throw new AppError('DEPENDENCY_UNAVAILABLE', 'integration configuration is unavailable right now; retry shortly');
    }
    if (!config || config.organizationId !== organizationId) throw AppError.notFound(`integration ${ref}`);
    return config;
  }

  invalidate(integrationId: string): void {
    this.client.invalidate(integrationId);
  }
}

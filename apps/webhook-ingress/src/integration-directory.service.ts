import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '@incident-sync/contracts';
import { IntegrationConfigClient, IntegrationNotFoundError, IntegrationRuntimeConfig } from '@incident-sync/integration-config-client';

export const INTEGRATION_CONFIG_CLIENT = Symbol('INTEGRATION_CONFIG_CLIENT');

/** A forced re-read after a signature mismatch happens at most this often per integration. */
const REFRESH_MIN_INTERVAL_MS = 10000;

/**
 * Integrations as ingress sees them: a cached IntegrationConfigClient whose failures are
 * mapped for the webhook edge. Unknown → 404; integration-config unreachable → 503, since a
 * 4xx would make PagerDuty drop the delivery for good (FACTS §1.5) while a 5xx is retried.
 */
@Injectable()
export class IntegrationDirectory {
  /** Route ids (an id or a slug) seen for each canonical id, so a change event clears them all. */
  private readonly aliases = new Map<string, Set<string>>();
  private readonly lastForcedRefresh = new Map<string, number>();

  constructor(@Inject(INTEGRATION_CONFIG_CLIENT) private readonly client: IntegrationConfigClient) {}

  async get(idOrSlug: string): Promise<IntegrationRuntimeConfig> {
    let config: IntegrationRuntimeConfig;
    try {
      config = await this.client.get(idOrSlug);
    } catch (error) {
      if (error instanceof IntegrationNotFoundError) throw AppError.notFound(`integration ${idOrSlug}`);
      throw new AppError('DEPENDENCY_UNAVAILABLE', 'integration configuration is unavailable right now; retry shortly');
    }
    const seen = this.aliases.get(config.id) ?? new Set<string>();
    seen.add(idOrSlug);
    this.aliases.set(config.id, seen);
    return config;
  }

  /**
   * Re-reads an integration once its cached secrets failed to verify a delivery: after a
   * secret rotation whose change event was missed, the cache would otherwise answer 401 and
   * PagerDuty would drop the delivery. Throttled so bad requests cannot hammer integration-config.
   */
  async refreshAfterMismatch(idOrSlug: string, canonicalId: string, now = Date.now()): Promise<IntegrationRuntimeConfig | null> {
    const last = this.lastForcedRefresh.get(canonicalId) ?? 0;
    if (now - last < REFRESH_MIN_INTERVAL_MS) return null;
    this.lastForcedRefresh.set(canonicalId, now);
    this.invalidate(canonicalId);
    this.client.invalidate(idOrSlug);
    return this.get(idOrSlug);
  }

  /**
   * For API-key routes: `ref` is an id or the organization's slug for it (integration-config's
   * internal API reads ids only). Another organization's integration is a 404, never a 403.
   */
  async getForOrganization(organizationId: string, ref: string): Promise<IntegrationRuntimeConfig> {
    let config: IntegrationRuntimeConfig | undefined;
    try {
      config = await this.get(ref);
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'NOT_FOUND') throw error;
      try {
        config = (await this.client.listForOrganization(organizationId)).find((c) => c.slug === ref);
      } catch {
        throw new AppError('DEPENDENCY_UNAVAILABLE', 'integration configuration is unavailable right now; retry shortly');
      }
    }
    if (!config || config.organizationId !== organizationId) throw AppError.notFound(`integration ${ref}`);
    return config;
  }

  invalidate(canonicalId: string): void {
    this.client.invalidate(canonicalId);
    for (const alias of this.aliases.get(canonicalId) ?? []) this.client.invalidate(alias);
    this.aliases.delete(canonicalId);
  }
}

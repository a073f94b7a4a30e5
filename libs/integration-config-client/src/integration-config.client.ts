import { INTERNAL_HEADERS } from '@incident-sync/contracts';
import { IntegrationRuntimeConfig } from './integration-runtime-config';

export class IntegrationNotFoundError extends Error {
  constructor(readonly integrationId: string) {
    super(`integration ${integrationId} not found`);
    this.name = 'IntegrationNotFoundError';
  }
}

/**
 * Reads integrations from integration-config's internal API and caches them. Services call
 * `invalidate(id)` when `integration.config.changed.v1` arrives, so a change applies
 * without a restart; the TTL bounds staleness if an event is missed.
 */
export class IntegrationConfigClient {
  private readonly cache = new Map<string, { value: IntegrationRuntimeConfig; expires: number }>();

  constructor(private readonly baseUrl: string, private readonly internalToken: string, private readonly ttlMs = 60000) {}

  /** Throws IntegrationNotFoundError for an unknown (or deleted) id. */
  async get(integrationId: string): Promise<IntegrationRuntimeConfig> {
    const hit = this.cache.get(integrationId);
    if (hit && hit.expires > Date.now()) return hit.value;
    const value = await this.fetchJson<IntegrationRuntimeConfig>(`/internal/v1/integrations/${encodeURIComponent(integrationId)}`, integrationId);
    this.cache.set(integrationId, { value, expires: Date.now() + this.ttlMs });
    return value;
  }

  /** Every integration of an organization (outbound sync looks for eligible ones). */
  async listForOrganization(organizationId: string): Promise<IntegrationRuntimeConfig[]> {
    const list = await this.fetchJson<{ data: IntegrationRuntimeConfig[] }>(`/internal/v1/integrations?organization_id=${encodeURIComponent(organizationId)}`, organizationId);
    for (const value of list.data) this.cache.set(value.id, { value, expires: Date.now() + this.ttlMs });
    return list.data;
  }

  invalidate(integrationId: string): void {
    this.cache.delete(integrationId);
  }

  private async fetchJson<T>(path: string, id: string): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      headers: { [INTERNAL_HEADERS.internalToken]: this.internalToken, accept: 'application/json' },
      signal: AbortSignal.timeout(5000),
    });
    if (response.status === 404) throw new IntegrationNotFoundError(id);
    if (!response.ok) throw new Error(`integration-config answered ${response.status} for ${path}`);
    return (await response.json()) as T;
  }
}

import { INTERNAL_HEADERS } from '@incident-sync/contracts';
import { IntegrationRuntimeConfig, IntegrationSummary } from './integration-runtime-config';

/** integration-config did not answer usably: unreachable, timed out, 5xx or an unexpected status. */
export class IntegrationConfigUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IntegrationConfigUnavailableError';
  }
}

/**
 * integration-config's internal API, as IntegrationLookup uses it. `null` is a definite 404;
 * anything else that goes wrong throws IntegrationConfigUnavailableError. Only the two exact
 * lookups carry decrypted secrets; the per-organization list is summaries.
 */
export interface IntegrationConfigApi {
  /** `GET /internal/v1/integrations/:id` (id: a lower-case UUID). */
  byId(id: string): Promise<IntegrationRuntimeConfig | null>;
  /** `GET /internal/v1/organizations/:org/integrations/:ref` (ref: id or slug; another organization's is a 404). */
  inOrganization(organizationId: string, ref: string): Promise<IntegrationRuntimeConfig | null>;
  /** `GET /internal/v1/integrations?organization_id=`: no token, no webhook secrets. */
  summaries(organizationId: string): Promise<IntegrationSummary[]>;
}

/**
 * A path segment that cannot climb: URL parsing resolves a segment of `.` or `..` (encoded or
 * not) before the request is sent, so `/organizations/../integrations/x` would reach another
 * route. encodeURIComponent already escapes `/`, `\` and `%`, so only the bare dot segments remain.
 */
export function safeSegment(value: string): string | null {
  if (value === '' || value === '.' || value === '..') return null;
  return encodeURIComponent(value);
}

export class HttpIntegrationConfigApi implements IntegrationConfigApi {
  constructor(private readonly baseUrl: string, private readonly internalToken: string, private readonly timeoutMs = 5000) {}

  byId(id: string): Promise<IntegrationRuntimeConfig | null> {
    const segment = safeSegment(id);
    return segment === null ? Promise.resolve(null) : this.get<IntegrationRuntimeConfig>(`/internal/v1/integrations/${segment}`);
  }

  inOrganization(organizationId: string, ref: string): Promise<IntegrationRuntimeConfig | null> {
    const org = safeSegment(organizationId);
    const segment = safeSegment(ref);
    if (org === null || segment === null) return Promise.resolve(null);
    return this.get<IntegrationRuntimeConfig>(`/internal/v1/organizations/${org}/integrations/${segment}`);
  }

  async summaries(organizationId: string): Promise<IntegrationSummary[]> {
    const list = await this.get<{ data: IntegrationSummary[] }>(`/internal/v1/integrations?organization_id=${encodeURIComponent(organizationId)}`);
    if (list === null || !Array.isArray(list.data)) throw new IntegrationConfigUnavailableError('integration-config answered the integration list without data');
    return list.data;
  }

  private async get<T>(path: string): Promise<T | null> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        headers: { [INTERNAL_HEADERS.internalToken]: this.internalToken, accept: 'application/json' },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new IntegrationConfigUnavailableError(`integration-config is unreachable: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (response.status === 404) {
      await response.body?.cancel();
      return null;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new IntegrationConfigUnavailableError(`integration-config answered ${response.status}`);
    }
    try {
      return (await response.json()) as T;
    } catch {
      throw new IntegrationConfigUnavailableError('integration-config answered a body that is not JSON');
    }
  }
}

import { AppError, INTERNAL_HEADERS, encodeTrustedHeader } from '@incident-sync/contracts';

/** What the outbound backfill reads of a platform incident (the incidents REST API's view, snake_case). */
export interface PlatformIncidentListItem {
  id: string;
  number: string;
  title: string;
  status: string;
  severity: string;
  incident_type: string | null;
  created_at: string;
}

export interface PlatformIncidentPage {
  data: PlatformIncidentListItem[];
  next_cursor: string | null;
}

export const PLATFORM_INCIDENTS_API = Symbol('PLATFORM_INCIDENTS_API');

/**
 * The incidents service as the sync-engine's outbound backfill uses it (issue #14). The
 * sync-engine never reads the incidents database: it lists over the public REST route (with
 * the internal token and the organization header, as the gateway would forward it) and asks
 * for each incident to be announced over the internal route.
 */
export interface PlatformIncidentsApi {
  /** `GET /api/v1/incidents?created_since=…&limit=…&cursor=…`: newest number first. */
  listCreatedSince(organizationId: string, since: Date, cursor: string | null, limit: number): Promise<PlatformIncidentPage>;
  /** `POST /internal/v1/incidents/:id/backfill-announce` (`organization_id` in the body); false when the incident no longer exists. */
  announce(organizationId: string, incidentId: string, body: { integration_id: string; job_id: string; event_id: string }): Promise<boolean>;
}

export class HttpPlatformIncidentsApi implements PlatformIncidentsApi {
  constructor(private readonly baseUrl: string, private readonly internalToken: string, private readonly timeoutMs = 10000) {}

  async listCreatedSince(organizationId: string, since: Date, cursor: string | null, limit: number): Promise<PlatformIncidentPage> {
    const query = new URLSearchParams({ created_since: since.toISOString(), limit: String(limit) });
    if (cursor !== null) query.set('cursor', cursor);
    const response = await this.call('GET', `/api/v1/incidents?${query.toString()}`, organizationId);
    const body = (await this.json(response)) as Partial<PlatformIncidentPage>;
    if (!Array.isArray(body.data)) throw unavailable('the incident list came without data');
    return { data: body.data, next_cursor: typeof body.next_cursor === 'string' ? body.next_cursor : null };
  }

  async announce(organizationId: string, incidentId: string, body: { integration_id: string; job_id: string; event_id: string }): Promise<boolean> {
    const path = `/internal/v1/incidents/${encodeURIComponent(incidentId)}/backfill-announce`;
    const response = await this.call('POST', path, organizationId, { organization_id: organizationId, ...body });
    if (response.status === 404) {
      await response.body?.cancel();
      return false;
    }
    await this.json(response);
    return true;
  }

  private async call(method: string, path: string, organizationId: string, body?: unknown): Promise<Response> {
    try {
      return await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          [INTERNAL_HEADERS.internalToken]: this.internalToken,
          [INTERNAL_HEADERS.organizationId]: encodeTrustedHeader(organizationId),
          [INTERNAL_HEADERS.actor]: 'sync-engine backfill',
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw unavailable(`unreachable: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async json(response: Response): Promise<unknown> {
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      throw unavailable(`answered ${response.status}${text ? `: ${text.slice(0, 300)}` : ''}`);
    }
    try {
      return await response.json();
    } catch {
      throw unavailable('answered a body that is not JSON');
    }
  }
}

function unavailable(message: string): AppError {
  return new AppError('DEPENDENCY_UNAVAILABLE', `the incidents service ${message}`);
}

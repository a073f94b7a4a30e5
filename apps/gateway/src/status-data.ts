import { Upstream } from './route-table';

/** The parts of sync-status (sync-engine, GET /api/v1/integrations/:ref/sync-status) the page shows. */
export interface SyncStatusFigures {
  enabled: boolean;
  outbound_queue_depth: number | null;
  tokens_available: number | null;
  rate_limit_per_minute: number;
  last_success_at: string | null;
  last_error: { at: string; message: string } | null;
  rate_limited_429_count: number | null;
  outbound_lag_seconds: number;
  inbound_lag_seconds: number | null;
  last_webhook_received_at: string | null;
  open_conflicts: number;
  parked_messages: number;
  unknown_user_count: number;
  dlq_size: number | null;
  sources: Record<string, 'ok' | 'unavailable'>;
}

export interface DecisionFigure {
  seq: number;
  at: string;
  platform_incident_id: string | null;
  pd_incident_id: string | null;
  source: string;
  event_type: string | null;
  field: string | null;
  side: string | null;
  outcome: string;
  reason: string;
}

export interface SettledWriteFigure {
  action: string;
  settled_at: string;
  outcome: string | null;
  latency_ms: number;
}

export interface IntegrationStatus {
  id: string;
  slug: string;
  name: string;
  sync_direction: string;
  enabled: boolean;
  /** null when sync-engine did not answer. */
  sync: SyncStatusFigures | null;
  activity: { decisions: DecisionFigure[]; settled_writes: SettledWriteFigure[] } | null;
}

export interface DeadLetterFigure {
  id: string;
  integration_id: string | null;
  original_topic: string;
  error_code: string;
  error_message: string;
  attempts: number;
  last_failed_at: string;
}

export interface StatusData {
  organizationId: string;
  generatedAt: string;
  /** null when integration-config did not answer. */
  integrations: IntegrationStatus[] | null;
  /** How many integrations the organization has (only the first MAX_INTEGRATIONS are shown). */
  integrationCount: number;
  deadLetters: { total: number; items: DeadLetterFigure[] } | null;
  /** Platform incident id → title, for the incidents in recent decisions (missing when unknown). */
  titles: Record<string, string>;
}

export const MAX_INTEGRATIONS = 50;
const MAX_TITLES = 30;

/**
 * Gathers the status page's figures from the services' public routes, calling them exactly as
 * the proxy forwards the caller's own requests (`headers`: the gateway token plus the caller's
 * organization): each service applies its own organization scope, so the page can show nothing
 * the caller's key could not read through /api/v1. A service that does not answer shows as
 * unavailable (null), never as zeros.
 */
export async function gatherStatus(upstreams: Record<Upstream, string>, headers: Record<string, string>, organizationId: string, timeoutMs = 5000): Promise<StatusData> {
  const get = async <T>(upstream: Upstream, path: string): Promise<T | null> => {
    try {
      const response = await fetch(`${upstreams[upstream]}${path}`, { headers: { ...headers, accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
      return response.ok ? ((await response.json()) as T) : null;
    } catch {
      return null;
    }
  };
  const [listed, dlq] = await Promise.all([
    get<{ data: { id: string; slug: string; name: string; sync_direction: string; enabled: boolean }[] }>('integration-config', '/api/v1/integrations'),
    get<{ data: DeadLetterFigure[]; total: number }>('dlq-manager', '/api/v1/dlq?status=pending&limit=20'),
  ]);
  const all = listed?.data ?? null;
  const integrations = all === null ? null : await Promise.all(all.slice(0, MAX_INTEGRATIONS).map(async (i): Promise<IntegrationStatus> => {
    const ref = encodeURIComponent(i.id);
    const [sync, activity] = await Promise.all([
      get<SyncStatusFigures>('sync-engine', `/api/v1/integrations/${ref}/sync-status`),
      get<IntegrationStatus['activity']>('sync-engine', `/api/v1/integrations/${ref}/activity?limit=50`),
    ]);
    return { id: i.id, slug: i.slug, name: i.name, sync_direction: i.sync_direction, enabled: i.enabled, sync, activity };
  }));
  const incidentIds = [...new Set((integrations ?? []).flatMap((i) => i.activity?.decisions ?? []).map((d) => d.platform_incident_id).filter((id): id is string => id !== null))].slice(0, MAX_TITLES);
  const titles: Record<string, string> = {};
  await Promise.all(incidentIds.map(async (id) => {
    const incident = await get<{ title?: unknown }>('incidents', `/api/v1/incidents/${encodeURIComponent(id)}`);
    if (typeof incident?.title === 'string') titles[id] = incident.title;
  }));
  return {
    organizationId,
    generatedAt: new Date().toISOString(),
    integrations,
    integrationCount: all?.length ?? 0,
    deadLetters: dlq === null ? null : { total: dlq.total, items: dlq.data },
    titles,
  };
}

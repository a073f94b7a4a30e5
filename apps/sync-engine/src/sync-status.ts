import type { WebhookSubscriptionView } from './webhook-health';
/** What the outbound-dispatcher reports (GET /api/v1/integrations/:id/dispatcher/status). */
export interface DispatcherStatus {
  queue_depth: number;
  tokens_available: number;
  rate_limit_per_minute: number;
  last_success_at: string | null;
  last_error: { at: string; message: string } | null;
  rate_limited_429_count: number;
  oldest_pending_at: string | null;
  dead_lettered_count: number;
}

/** What webhook-ingress reports (GET /internal/v1/ingress/status/:integrationId). */
export interface IngressStatus {
  last_received_at: string | null;
  last_event_occurred_at: string | null;
  accepted_total: number;
  duplicate_total: number;
  rejected_signature_total: number;
}

export interface OwnSyncFigures {
  openConflicts: number;
  unknownUsers: { side: 'platform' | 'external'; key: string; count: number; last_seen_at: string }[];
  /** Oldest of our PagerDuty writes the dispatcher has not reported on. */
  oldestUnsettledWriteAt: string | null;
  unsettledWrites: number;
  inbound: { lastReceivedAt: string | null; lastProcessedAt: string | null; lastLagMs: number | null; processedTotal: number } | null;
  /** Records of this integration parked by a transient failure (ours: webhooks, results, platform changes naming it). */
  parked?: { count: number; oldestParkedAt: string | null };
  /** The last reconcile pass that could change something (dry runs are not shown). */
  lastReconcile?: LastReconcileView | null;
}

/** sync-status `last_reconcile` (issue #14). */
export interface LastReconcileView {
  at: string;
  finished_at: string;
  duration_ms: number;
  trigger: string;
  incidents_checked: number;
  requests: number;
  /** Repairs queued, by field. */
  repairs: Record<string, number>;
  drift_found: number;
  /** The first drift entries of that pass (what differed). */
  drift: unknown[];
  errors: number;
  error_samples: { pd_incident_id: string | null; message: string }[];
  /** What the pass found of the PagerDuty webhook subscription, and did about it (null before it was checked). */
  webhook_subscription: WebhookSubscriptionView | null;
}

export interface SyncStatusView {
  integration_id: string;
  slug: string;
  enabled: boolean;
  sync_direction: string;
  outbound_queue_depth: number | null;
  tokens_available: number | null;
  rate_limit_per_minute: number;
  last_success_at: string | null;
  last_error: { at: string; message: string } | null;
  rate_limited_429_count: number | null;
  outbound_lag_seconds: number;
  oldest_unsynced_change_at: string | null;
  unsettled_outbound_writes: number;
  inbound_lag_seconds: number | null;
  last_webhook_received_at: string | null;
  last_webhook_processed_at: string | null;
  webhooks_rejected_signature: number | null;
  unknown_users: OwnSyncFigures['unknownUsers'];
  unknown_user_count: number;
  open_conflicts: number;
  /** Messages waiting on a transient failure (they are retried until they apply; never dropped). */
  parked_messages: number;
  oldest_parked_at: string | null;
  oldest_parked_age_seconds: number | null;
  dlq_size: number | null;
  last_reconcile: LastReconcileView | null;
  /** The webhook subscription as the last reconcile pass found it: state, what it did, and the command that fixes what is left. */
  webhook_subscription: WebhookSubscriptionView | null;
  sources: { outbound_dispatcher: 'ok' | 'unavailable'; webhook_ingress: 'ok' | 'unavailable'; dlq_manager: 'ok' | 'unavailable' };
}

const seconds = (ms: number): number => Math.max(0, Math.round(ms / 100) / 10);

/**
 * sync-status (issue #9 §5) from the sibling services' figures and our own. A sibling that
 * does not answer shows as null plus `sources.<name> = unavailable`, never as zero.
 * - outbound lag: age of the oldest change not yet written to PagerDuty (our oldest
 *   unsettled command, or the dispatcher's oldest pending one, whichever is older);
 * - inbound lag: when ingress has accepted a webhook newer than the last one we processed,
 *   the age of that webhook; otherwise the processing delay of the last webhook.
 */
export function aggregateSyncStatus(input: {
  integration: { id: string; slug: string; enabled: boolean; syncDirection: string; rateLimitPerMinute: number };
  dispatcher: DispatcherStatus | null;
  ingress: IngressStatus | null;
  dlqCount: number | null;
  own: OwnSyncFigures;
  now: number;
}): SyncStatusView {
  const { dispatcher, ingress, own, now } = input;
  const oldestCandidates = [own.oldestUnsettledWriteAt, dispatcher?.oldest_pending_at ?? null].filter((x): x is string => x !== null).map((x) => Date.parse(x));
  const oldest = oldestCandidates.length > 0 ? Math.min(...oldestCandidates) : null;
  let inboundLag: number | null = own.inbound?.lastLagMs ?? null;
  const received = ingress?.last_received_at ? Date.parse(ingress.last_received_at) : null;
  const processedUpTo = own.inbound?.lastReceivedAt ? Date.parse(own.inbound.lastReceivedAt) : null;
  if (received !== null && (processedUpTo === null || received > processedUpTo)) inboundLag = now - received;
  return {
    integration_id: input.integration.id,
    slug: input.integration.slug,
    enabled: input.integration.enabled,
    sync_direction: input.integration.syncDirection,
    outbound_queue_depth: dispatcher?.queue_depth ?? null,
    tokens_available: dispatcher?.tokens_available ?? null,
    rate_limit_per_minute: dispatcher?.rate_limit_per_minute ?? input.integration.rateLimitPerMinute,
    last_success_at: dispatcher?.last_success_at ?? null,
    last_error: dispatcher?.last_error ?? null,
    rate_limited_429_count: dispatcher?.rate_limited_429_count ?? null,
    outbound_lag_seconds: oldest === null ? 0 : seconds(now - oldest),
    oldest_unsynced_change_at: oldest === null ? null : new Date(oldest).toISOString(),
    unsettled_outbound_writes: own.unsettledWrites,
    inbound_lag_seconds: inboundLag === null ? null : seconds(inboundLag),
    last_webhook_received_at: ingress?.last_received_at ?? own.inbound?.lastReceivedAt ?? null,
    last_webhook_processed_at: own.inbound?.lastProcessedAt ?? null,
    webhooks_rejected_signature: ingress?.rejected_signature_total ?? null,
    unknown_users: own.unknownUsers,
    unknown_user_count: own.unknownUsers.length,
    open_conflicts: own.openConflicts,
    parked_messages: own.parked?.count ?? 0,
    oldest_parked_at: own.parked?.oldestParkedAt ?? null,
    oldest_parked_age_seconds: own.parked?.oldestParkedAt ? seconds(now - Date.parse(own.parked.oldestParkedAt)) : null,
    dlq_size: input.dlqCount,
    last_reconcile: own.lastReconcile ?? null,
    webhook_subscription: own.lastReconcile?.webhook_subscription ?? null,
    sources: {
      outbound_dispatcher: dispatcher === null ? 'unavailable' : 'ok',
      webhook_ingress: ingress === null ? 'unavailable' : 'ok',
      dlq_manager: input.dlqCount === null ? 'unavailable' : 'ok',
    },
  };
}

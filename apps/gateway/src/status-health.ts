import type { IntegrationStatus } from './status-data';

export type HealthLevel = 'ok' | 'attention' | 'failing' | 'paused' | 'unknown';

export interface Health {
  level: HealthLevel;
  /** Why, in the order an on-call engineer should look (empty when ok). */
  reasons: string[];
}

/** A lag above this many seconds is worth a look (changes normally cross in a few seconds). */
export const LAG_ATTENTION_SECONDS = 60;

/**
 * One integration's health from its sync-status: failing when PagerDuty's last answer to our
 * writes was an error newer than the last success; attention when something waits on an
 * operator or lags (dead letters, open conflicts, parked messages, unknown users, lag over a
 * minute, a sibling service not answering); paused when disabled; unknown without sync-status.
 */
export function healthOf(integration: IntegrationStatus): Health {
  const sync = integration.sync;
  if (!integration.enabled) return { level: 'paused', reasons: ['disabled: deliveries are kept and applied once it is enabled again'] };
  if (sync === null) return { level: 'unknown', reasons: ['sync-engine did not answer'] };
  const reasons: string[] = [];
  const failing = sync.last_error !== null && (sync.last_success_at === null || Date.parse(sync.last_error.at) > Date.parse(sync.last_success_at));
  if (failing && sync.last_error) reasons.push(`last PagerDuty write failed: ${sync.last_error.message}`);
  for (const [source, state] of Object.entries(sync.sources)) if (state !== 'ok') reasons.push(`${source.replace(/_/g, '-')} did not answer`);
  if ((sync.dlq_size ?? 0) > 0) reasons.push(`${sync.dlq_size} dead letter(s) pending`);
  if (sync.open_conflicts > 0) reasons.push(`${sync.open_conflicts} open conflict(s) wait for an operator`);
  if (sync.parked_messages > 0) reasons.push(`${sync.parked_messages} message(s) parked on a transient failure`);
  if (sync.outbound_lag_seconds > LAG_ATTENTION_SECONDS) reasons.push(`outbound lag ${sync.outbound_lag_seconds} s`);
  if ((sync.inbound_lag_seconds ?? 0) > LAG_ATTENTION_SECONDS) reasons.push(`inbound lag ${sync.inbound_lag_seconds} s`);
  if (sync.unknown_user_count > 0) reasons.push(`${sync.unknown_user_count} user(s) known on one side only`);
  return { level: failing ? 'failing' : reasons.length > 0 ? 'attention' : 'ok', reasons };
}

import { codecFor, isFieldSynced, SYNC_FIELDS, type ExternalChange, type IntegrationSettings, type LinkState, type SyncField } from '@incident-sync/sync-domain';

/** The event type of a synthetic PagerDuty observation published by a reconcile pass. */
export const RECONCILE_EVENT_TYPE = 'reconciliation.snapshot';
/**
 * The event type of a backfill's synthetic observation: like a reconcile read, plus an unlinked
 * incident is created on the platform the way a live `incident.triggered` is.
 */
export const BACKFILL_EVENT_TYPE = 'backfill.snapshot';
/**
 * The event type of a reconcile pass's note repair: a PagerDuty note no `incident.annotated`
 * delivery brought, read over REST; applied exactly as that delivery would have been.
 */
export const RECONCILE_NOTE_EVENT_TYPE = 'reconciliation.note';

/** One field where PagerDuty holds something the link has not seen (issue #14). */
export interface FieldDrift {
  field: SyncField;
  /** What the platform holds (the link's latest platform observation). */
  platform: unknown;
  /** What PagerDuty holds now (the read). */
  pagerduty: unknown;
  /** What the link last saw PagerDuty hold. */
  lastSeen: unknown;
}

/**
 * Fields whose PagerDuty value (a reconciliation read) differs from the link's latest
 * PagerDuty observation: a missed webhook, or an edit PagerDuty sends no webhook for (title,
 * urgency). A value equal to one of our writes still in flight is that write landing, not
 * drift; unsynced fields are not compared. Pure: what to do about it is decideInbound's.
 */
export function driftOf(state: LinkState, change: ExternalChange, settings: IntegrationSettings): FieldDrift[] {
  const drift: FieldDrift[] = [];
  for (const field of SYNC_FIELDS) {
    if (!isFieldSynced(settings, field)) continue;
    const observed = change.observed[field];
    if (observed === undefined) continue;
    const f = state.fields[field];
    const codec = codecFor(field);
    const eq = (a: unknown, b: unknown): boolean => codec.eqExternal(a as never, b as never, settings);
    const seen = f.external === null ? null : f.external.value;
    if (f.external !== null && eq(observed, seen)) continue;
    if (f.pending.external.some((w) => eq(observed, w.value))) continue;
    drift.push({ field, platform: f.platform === null ? null : f.platform.value, pagerduty: observed, lastSeen: seen });
  }
  return drift;
}

/**
 * The time a change seen only by polling is dated with: PagerDuty's own `updated_at` when it
 * has one; failing that, just after the newest PagerDuty event the link processed — newer
 * than what we knew of PagerDuty, yet older than any platform edit made since.
 *
 * `updated_at` has whole seconds while webhook `occurred_at` has milliseconds: a read that
 * differs from an event of the same second shows a change made after that event (the read is
 * PagerDuty's current state), so within that second it is placed just after the event, never
 * beyond the second PagerDuty named.
 */
export function pollingStamp(incident: { updated_at?: unknown }, state: LinkState, linkCreatedAt: Date): number {
  const updated = typeof incident.updated_at === 'string' ? Date.parse(incident.updated_at) : Number.NaN;
  const newestEvent = state.lastExternalEventAt;
  if (!Number.isFinite(updated)) return (newestEvent ?? linkCreatedAt.getTime()) + 1;
  if (updated % 1000 !== 0 || newestEvent === null || newestEvent < updated) return updated;
  return Math.min(updated + 999, newestEvent + 1);
}

/** How far back a pass's window may be carried after passes whose reads failed (a read that keeps failing, a 403 on one incident, must not make every pass scan a long window). */
export const CARRIED_WINDOW_MAX_MS = 3600000;

/**
 * Where a scheduled pass's window starts: a minute before the last pass started (overlap), at
 * least one interval back — but when the last pass could not read everything (its errors are not
 * empty: a note read failed during a PostgreSQL restart, say), no later than where that pass's
 * window started, so what it missed is read again. Carried at most CARRIED_WINDOW_MAX_MS back.
 * (Without the carry, a note in the minute the failed pass alone covered was never repaired:
 * fault tier seed 67075789.)
 */
export function nextPassSince(last: { startedAt: number; since: number | null; failed: boolean } | null, now: number, intervalMs: number): number {
  const oneInterval = now - intervalMs;
  if (last === null) return oneInterval;
  let since = Math.min(last.startedAt - 60000, oneInterval);
  if (last.failed && last.since !== null) since = Math.min(since, Math.max(last.since, now - CARRIED_WINDOW_MAX_MS));
  return since;
}

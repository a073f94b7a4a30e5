/** Backfill jobs (issue #14): what a job counts and how it is shown. Pure. */

export const BACKFILL_DIRECTIONS = ['inbound', 'outbound', 'both'] as const;
export type BackfillDirection = (typeof BACKFILL_DIRECTIONS)[number];
export type BackfillStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface BackfillCounts {
  /** PagerDuty incidents created in the window (counted when the job started; null until then). */
  total: number | null;
  /** Incidents read so far. */
  scanned: number;
  /** Already linked before this job looked at them (by a live trigger, reconcile or an earlier backfill). */
  already_linked: number;
  /** Queued by an earlier, interrupted run (the durable record): not queued again. */
  already_queued: number;
  /** Queued by this job to be linked and imported (or, in a dry run, that would be). */
  queued: number;
  /** A dry run: incidents that would not be imported (unmapped service with unmapped_services=ignore, our own bot's). */
  would_skip: number;
}

export const EMPTY_COUNTS: BackfillCounts = { total: null, scanned: 0, already_linked: 0, already_queued: 0, queued: 0, would_skip: 0 };

/** One line of a dry run's plan. */
export interface BackfillPlanItem {
  pd_incident_id: string;
  pd_incident_number: number | null;
  title: string;
  pd_service_id: string | null;
  action: 'create-and-link' | 'skip';
  /** For create-and-link: the platform incident it would create; for skip: why. */
  detail: string;
}

export interface BackfillJobRow {
  id: string;
  organization_id: string;
  integration_id: string;
  direction: BackfillDirection;
  dry_run: boolean;
  since: Date;
  until: Date;
  status: BackfillStatus;
  created_at: Date;
  finished_at: Date | null;
  heartbeat_at: Date;
  runs: number;
  requests: number;
  counts: BackfillCounts;
  plan: BackfillPlanItem[];
  errors: { pd_incident_id: string | null; message: string }[];
}

export interface BackfillJobView {
  id: string;
  integration_id: string;
  status: BackfillStatus;
  direction: BackfillDirection;
  dry_run: boolean;
  since: string;
  until: string;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
  /** How many times it was started: more than 1 after a resume (sync-engine crash or restart). */
  runs: number;
  pagerduty_requests: number;
  counts: BackfillCounts & {
    /** Queued by this job and linked by now (the consumer applies them in order with live traffic). */
    linked: number;
    /** Queued and not applied yet (or not imported by the rules: see history). */
    pending: number;
  };
  /** Seconds until scanned and linked reach their totals at the rate so far; null when unknown. */
  eta_seconds: number | null;
  plan: BackfillPlanItem[];
  errors: { pd_incident_id: string | null; message: string }[];
}

/**
 * Seconds left: the incidents still to read at the read rate so far, or those still to link
 * (pending, plus at most every one still to read) at the link rate so far, whichever is
 * longer. Null while unknown (nothing moved yet, or the total is not counted).
 */
export function backfillEta(counts: BackfillCounts, linked: number, elapsedMs: number, scanDone: boolean): number | null {
  const toRead = scanDone ? 0 : counts.total === null ? null : Math.max(0, counts.total - counts.scanned);
  if (toRead === null) return null;
  const pending = Math.max(0, counts.queued - linked);
  if (toRead === 0 && pending === 0) return 0;
  const seconds = elapsedMs / 1000;
  if (seconds <= 0) return null;
  let eta = 0;
  if (toRead > 0) {
    if (counts.scanned === 0) return null;
    eta = toRead / (counts.scanned / seconds);
  }
  if (pending > 0) {
    if (linked === 0) return null;
    eta = Math.max(eta, (pending + toRead) / (linked / seconds));
  }
  return Math.ceil(eta);
}

export function backfillView(row: BackfillJobRow, linked: number, now: Date): BackfillJobView {
  const finished = row.status !== 'running';
  const end = row.finished_at ?? now;
  return {
    id: row.id,
    integration_id: row.integration_id,
    status: row.status,
    direction: row.direction,
    dry_run: row.dry_run,
    since: row.since.toISOString(),
    until: row.until.toISOString(),
    created_at: row.created_at.toISOString(),
    updated_at: row.heartbeat_at.toISOString(),
    finished_at: row.finished_at === null ? null : row.finished_at.toISOString(),
    runs: row.runs,
    pagerduty_requests: row.requests,
    counts: { ...row.counts, linked, pending: row.dry_run ? 0 : Math.max(0, row.counts.queued - linked) },
    eta_seconds: backfillEta(row.counts, row.dry_run ? row.counts.queued : linked, end.getTime() - row.created_at.getTime(), finished),
    plan: row.plan,
    errors: row.errors,
  };
}

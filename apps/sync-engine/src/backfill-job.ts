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

/** Platform statuses the outbound backfill does not push: creating them would open (and page) a PagerDuty incident that is over. */
export const CLOSED_STATUSES: readonly string[] = ['resolved', 'closed'];

export function isClosedForBackfill(status: string): boolean {
  return CLOSED_STATUSES.includes(status);
}

/** The outbound part of a job (direction outbound or both): platform incidents pushed to PagerDuty. */
export interface OutboundBackfillCounts {
  /** Platform incidents of the organization created in the window (known once they are listed; null until then). */
  total: number | null;
  /** Incidents looked at so far. */
  scanned: number;
  /** Already linked to this integration (a live create, an inbound import, an earlier backfill). */
  already_linked: number;
  /** Queued by an earlier job: not queued again. */
  already_queued: number;
  /** Queued by this job to be created in PagerDuty (a dry run: that would be). */
  queued: number;
  /** Their incident type maps to no PagerDuty service and the integration has no default service: reported, not created. */
  unmapped: number;
  /** Resolved or closed on the platform: not pushed (it would open and page an incident that is over). */
  skipped_closed: number;
}

export const EMPTY_OUTBOUND_COUNTS: OutboundBackfillCounts = { total: null, scanned: 0, already_linked: 0, already_queued: 0, queued: 0, unmapped: 0, skipped_closed: 0 };

/** A platform incident the outbound backfill did not push because no service takes it. */
export interface UnmappedIncident {
  incident_id: string;
  number: string;
  title: string;
  incident_type: string | null;
}

/** One line of an outbound dry run's plan. */
export interface OutboundPlanItem {
  incident_id: string;
  number: string;
  title: string;
  action: 'create-in-pagerduty';
  /** The PagerDuty incident it would open. */
  detail: string;
}

/** What the job stores about its outbound part (`backfill_job.outbound`). */
export interface OutboundBackfillState {
  counts: OutboundBackfillCounts;
  unmapped: UnmappedIncident[];
  plan: OutboundPlanItem[];
  /** Set once every incident of the window was looked at. */
  scan_done: boolean;
}

export function emptyOutboundState(): OutboundBackfillState {
  return { counts: { ...EMPTY_OUTBOUND_COUNTS }, unmapped: [], plan: [], scan_done: false };
}

export function includesInbound(direction: BackfillDirection): boolean {
  return direction !== 'outbound';
}

export function includesOutbound(direction: BackfillDirection): boolean {
  return direction !== 'inbound';
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
  errors: BackfillError[];
  /** Null for an inbound job. */
  outbound: OutboundBackfillState | null;
}

/** An incident the job could not queue (pd_incident_id for inbound, incident_id for outbound), or the job's own failure (both null). */
export interface BackfillError {
  pd_incident_id: string | null;
  incident_id?: string | null;
  message: string;
}

export interface OutboundBackfillView {
  counts: OutboundBackfillCounts & {
    /** Queued by this job and created in PagerDuty by now (the link has the PagerDuty id). */
    created: number;
    /** Queued and not created yet (or not created by the rules at the time it was applied: see sync history). */
    pending: number;
  };
  eta_seconds: number | null;
  /** Incidents of types no PagerDuty service takes (the first 1000; counts.unmapped counts them all). */
  unmapped: UnmappedIncident[];
  /** A dry run: what it would create (the first 1000). */
  plan: OutboundPlanItem[];
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
  errors: BackfillError[];
  /** PagerDuty → platform counts are `counts`; platform → PagerDuty ones are here (null for an inbound job). */
  outbound: OutboundBackfillView | null;
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

/** The outbound counts as shown: `created` from the links, the ETA from the outbound scan so far. */
export function outboundView(state: OutboundBackfillState, dryRun: boolean, created: number, elapsedMs: number, finished: boolean): OutboundBackfillView {
  const counts = state.counts;
  const shownCreated = dryRun ? 0 : created;
  return {
    counts: { ...counts, created: shownCreated, pending: dryRun ? 0 : Math.max(0, counts.queued - created) },
    eta_seconds: backfillEta(
      { total: counts.total, scanned: counts.scanned, already_linked: 0, already_queued: 0, queued: counts.queued, would_skip: 0 },
      dryRun ? counts.queued : created, elapsedMs, finished || state.scan_done,
    ),
    unmapped: state.unmapped,
    plan: state.plan,
  };
}

export function backfillView(row: BackfillJobRow, linked: number, now: Date, created = 0): BackfillJobView {
  const finished = row.status !== 'running';
  const end = row.finished_at ?? now;
  const elapsedMs = end.getTime() - row.created_at.getTime();
  const outbound = row.outbound === null ? null : outboundView(row.outbound, row.dry_run, created, elapsedMs, finished);
  const inboundEta = includesInbound(row.direction) ? backfillEta(row.counts, row.dry_run ? row.counts.queued : linked, elapsedMs, finished) : 0;
  const outboundEta = outbound === null ? 0 : outbound.eta_seconds;
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
    eta_seconds: inboundEta === null || outboundEta === null ? null : Math.max(inboundEta, outboundEta),
    plan: row.plan,
    errors: row.errors,
    outbound,
  };
}

/**
 * Where one listed incident stands before a backfill job queues it (both directions): queued
 * by this job before a resume counts as queued; linked, or queued by another job, is counted
 * and passed over. Returns true when the incident still needs this job's work.
 */
export function needsQueuing(
  counts: Pick<BackfillCounts, 'scanned' | 'queued' | 'already_linked' | 'already_queued'>,
  queuedBy: string | undefined,
  jobId: string,
  linked: boolean,
): boolean {
  counts.scanned += 1;
  if (queuedBy === jobId) counts.queued += 1;
  else if (linked) counts.already_linked += 1;
  else if (queuedBy !== undefined) counts.already_queued += 1;
  else return true;
  return false;
}

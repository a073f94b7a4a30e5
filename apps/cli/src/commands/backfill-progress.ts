/** GET /integrations/:ref/backfill (sync-engine, issue #14). */
export interface BackfillJob {
  id: string;
  status: 'running' | 'succeeded' | 'failed' | 'cancelled';
  direction: string;
  dry_run: boolean;
  since: string;
  created_at: string;
  finished_at: string | null;
  runs: number;
  pagerduty_requests: number;
  counts: { total: number | null; scanned: number; already_linked: number; already_queued: number; queued: number; would_skip: number; linked: number; pending: number };
  eta_seconds: number | null;
  plan: { pd_incident_id: string; pd_incident_number: number | null; title: string; pd_service_id: string | null; action: string; detail: string }[];
  errors: { pd_incident_id: string | null; incident_id?: string | null; message: string }[];
  /** Platform → PagerDuty (direction outbound or both); null for an inbound job. */
  outbound?: OutboundPart | null;
}

export interface OutboundPart {
  counts: {
    total: number | null; scanned: number; already_linked: number; already_queued: number; queued: number; unmapped: number; skipped_closed: number;
    created: number; pending: number;
  };
  eta_seconds: number | null;
  unmapped: { incident_id: string; number: string; title: string; incident_type: string | null }[];
  plan: { incident_id: string; number: string; title: string; action: string; detail: string }[];
}

function hasInbound(job: BackfillJob): boolean {
  return job.direction !== 'outbound';
}

function outboundOf(job: BackfillJob): OutboundPart | null {
  return job.direction === 'inbound' ? null : job.outbound ?? null;
}

/** Queued incidents still being applied, in both directions. */
export function pendingOf(job: BackfillJob): number {
  return (hasInbound(job) ? job.counts.pending : 0) + (outboundOf(job)?.counts.pending ?? 0);
}

export function formatEta(seconds: number | null): string {
  if (seconds === null) return 'ETA --';
  if (seconds < 60) return `ETA ${seconds}s`;
  const m = Math.floor(seconds / 60);
  return m < 60 ? `ETA ${m}m${String(seconds % 60).padStart(2, '0')}s` : `ETA ${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** The PagerDuty → platform counts in words, e.g. `read 250/500, queued 240, linked 200, already linked 10`. */
function inboundText(job: BackfillJob): string {
  const c = job.counts;
  const parts = [`read ${c.scanned}/${c.total ?? '?'}`];
  if (job.dry_run) parts.push(`would link ${c.queued}`, `would skip ${c.would_skip}`);
  else parts.push(`queued ${c.queued}`, `linked ${c.linked}`);
  parts.push(`already linked ${c.already_linked}`);
  if (c.already_queued > 0) parts.push(`queued by an earlier run ${c.already_queued}`);
  return parts.join(', ');
}

/** The platform → PagerDuty counts in words, e.g. `read 30/30, queued 25, created 20, unmapped 3, closed (skipped) 2`. */
function outboundText(job: BackfillJob, part: OutboundPart): string {
  const c = part.counts;
  const parts = [`read ${c.scanned}/${c.total ?? '?'}`];
  if (job.dry_run) parts.push(`would create ${c.queued}`);
  else parts.push(`queued ${c.queued}`, `created ${c.created}`);
  parts.push(`already linked ${c.already_linked}`, `unmapped ${c.unmapped}`, `closed (skipped) ${c.skipped_closed}`);
  if (c.already_queued > 0) parts.push(`queued by an earlier run ${c.already_queued}`);
  return parts.join(', ');
}

/**
 * The counts in words, per direction when the job has an outbound part:
 * `inbound: read 10/10, … | outbound: read 30/30, queued 25, created 20, …`.
 */
export function countsText(job: BackfillJob): string {
  const out = outboundOf(job);
  const parts: string[] = [];
  if (out === null) parts.push(inboundText(job));
  else {
    if (hasInbound(job)) parts.push(`inbound: ${inboundText(job)}`);
    parts.push(`outbound: ${outboundText(job, out)}`);
  }
  let text = parts.join(' | ');
  if (job.errors.length > 0) text += `, errors ${job.errors.length}`;
  return text;
}

/**
 * The share done: what was read plus what was linked (or created), over the total read plus
 * the total to link, both directions together (a dry run changes nothing: reading is all of it).
 */
export function fractionDone(job: BackfillJob): number {
  if (job.status !== 'running' && (job.dry_run || pendingOf(job) === 0)) return 1;
  let done = 0;
  let all = 0;
  if (hasInbound(job)) {
    const c = job.counts;
    if (c.total === null) return 0;
    const toLink = job.dry_run ? 0 : Math.max(0, c.total - c.already_linked - c.already_queued - c.would_skip);
    done += c.scanned + (job.dry_run ? 0 : c.linked);
    all += c.total + toLink;
  }
  const out = outboundOf(job);
  if (out !== null) {
    const c = out.counts;
    if (c.total === null) return all === 0 ? 0 : Math.min(1, done / (all * 2));
    const toCreate = job.dry_run ? 0 : Math.max(0, c.total - c.already_linked - c.already_queued - c.unmapped - c.skipped_closed);
    done += c.scanned + (job.dry_run ? 0 : c.created);
    all += c.total + toCreate;
  }
  return all === 0 ? 0 : Math.min(1, done / all);
}

/** One terminal line: `[#########-----------]  45% read 250/500, queued 240, linked 200, … ETA 12s`. */
export function progressBar(job: BackfillJob, width = 24): string {
  const done = fractionDone(job);
  const filled = Math.round(done * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.floor(done * 100)).padStart(3)}% ${countsText(job)} ${formatEta(job.eta_seconds)}`;
}

/** One plain line for logs and pipes: `backfill <id> running: read …, ETA 12s`. */
export function progressLine(job: BackfillJob): string {
  return `backfill ${job.id} ${job.status}${job.dry_run ? ' (dry run)' : ''}: ${countsText(job)}, ${formatEta(job.eta_seconds)}`;
}

/** Following ends when the job is over and nothing it queued is still waiting (or nothing moved for a while). */
export function followDone(job: BackfillJob, unchangedMs: number, patienceMs: number): boolean {
  if (job.status === 'running') return false;
  return job.dry_run || pendingOf(job) === 0 || unchangedMs >= patienceMs;
}

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
  errors: { pd_incident_id: string | null; message: string }[];
}

export function formatEta(seconds: number | null): string {
  if (seconds === null) return 'ETA --';
  if (seconds < 60) return `ETA ${seconds}s`;
  const m = Math.floor(seconds / 60);
  return m < 60 ? `ETA ${m}m${String(seconds % 60).padStart(2, '0')}s` : `ETA ${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** The counts in words, e.g. `read 250/500, queued 240, linked 200, already linked 10`. */
export function countsText(job: BackfillJob): string {
  const c = job.counts;
  const parts = [`read ${c.scanned}/${c.total ?? '?'}`];
  if (job.dry_run) parts.push(`would link ${c.queued}`, `would skip ${c.would_skip}`);
  else parts.push(`queued ${c.queued}`, `linked ${c.linked}`);
  parts.push(`already linked ${c.already_linked}`);
  if (c.already_queued > 0) parts.push(`queued by an earlier run ${c.already_queued}`);
  if (job.errors.length > 0) parts.push(`errors ${job.errors.length}`);
  return parts.join(', ');
}

/**
 * The share done: what was read plus what was linked, over the total read plus the total to
 * link (a dry run links nothing: reading is all of it).
 */
export function fractionDone(job: BackfillJob): number {
  const c = job.counts;
  if (job.status !== 'running' && (job.dry_run || c.pending === 0)) return 1;
  if (c.total === null || c.total === 0) return 0;
  if (job.dry_run) return Math.min(1, c.scanned / c.total);
  const toLink = c.total - c.already_linked - c.already_queued - c.would_skip;
  return Math.min(1, (c.scanned + c.linked) / (c.total + Math.max(toLink, 0)));
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
  return job.dry_run || job.counts.pending === 0 || unchangedMs >= patienceMs;
}

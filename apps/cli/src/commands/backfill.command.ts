import { Command, Option } from 'commander';
import { CliContext } from '../cli-context';
import { CliError } from '../cli-error';
import type { ApiHttp } from '../api-http';
import type { Output } from '../output';
import { integrationGroup } from './command-groups';
import { integrationPath } from './integration.types';
import { BackfillJob, countsText, followDone, pendingOf, progressBar, progressLine } from './backfill-progress';

const POLL_MS = 1000;
/** Plain progress lines (not a terminal) at most this often. */
const LINE_EVERY_MS = 5000;
/** After the job ended, stop following links that have not moved for this long (an ignored service, say). */
const PATIENCE_MS = 30000;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface BackfillOptions {
  since?: string;
  direction: string;
  dryRun?: boolean;
  status?: boolean;
  cancel?: boolean;
  detach?: boolean;
}

/** `im integration backfill`: link and import PagerDuty incidents that existed before the integration, and/or push existing platform incidents to PagerDuty. */
export function registerBackfillCommands(program: Command, ctx: CliContext): void {
  integrationGroup(program)
    .command('backfill')
    .description('link and import the PagerDuty incidents created since a date, and/or create the platform incidents created since then in PagerDuty (runs server-side; a second run resumes or reports it)')
    .argument('<integration>', 'id or slug')
    .option('--since <date>', 'incidents created since this date or ISO 8601 time (e.g. 2026-11-01)')
    .addOption(new Option('--direction <direction>', 'inbound: link and import PagerDuty incidents; outbound: create unlinked open platform incidents in PagerDuty; both: inbound, then outbound')
      .choices(['inbound', 'outbound', 'both']).default('inbound'))
    .option('--dry-run', 'print what it would create and link; change nothing')
    .option('--status', 'show (and follow) the latest backfill instead of starting one')
    .option('--cancel', 'stop the running backfill (what it queued stays queued; running again skips it)')
    .option('--detach', 'start it and return at once (follow later with --status)')
    .addHelpText('after', `
Progress: a bar with counts (per direction) and an ETA on a terminal, one line every few seconds otherwise.
Ctrl-C stops following only: the backfill goes on server-side.
Outbound skips resolved and closed platform incidents, and reports (does not fail) incidents whose
type maps to no PagerDuty service. Its creates use the integration's background share
(reconcile_budget_percent of rate_limit), so live writes keep their budget.

Examples:
  im integration backfill prod-pd --since 2026-11-01 --dry-run
  im integration backfill prod-pd --since 2026-11-01
  im integration backfill prod-pd --since 2026-11-01 --direction outbound --dry-run
  im integration backfill prod-pd --since 2026-11-01 --direction both
  im integration backfill prod-pd --status
  im integration backfill prod-pd --cancel`)
    .action(
      ctx.action<BackfillOptions>(async ({ api, out, args, opts }) => {
        const ref = args[0] ?? '';
        const path = integrationPath(ref, '/backfill');
        if (opts.cancel) {
          const job = await api.post<BackfillJob>(`${path}/cancel`);
          return out.message(`cancelled backfill ${job.id}: ${countsText(job)}`, job);
        }
        let job: BackfillJob;
        if (opts.status) {
          job = await api.get<BackfillJob>(path);
        } else {
          if (opts.since === undefined) throw new CliError('--since <date> is required (or --status / --cancel)');
          job = await api.post<BackfillJob>(path, { since: opts.since, direction: opts.direction, dry_run: opts.dryRun === true });
          if (out.format !== 'json') out.line(`backfill ${job.id} of ${ref} since ${job.since}${job.dry_run ? ' (dry run)' : ''}${job.runs > 1 || job.counts.scanned > 0 ? ': already running, following it' : ''}`);
        }
        if (opts.detach) return out.format === 'json' ? out.json(job) : out.line(progressLine(job));
        job = await follow(ctx, api, out, path, ref, job);
        if (out.format === 'json') return out.json(job);
        summary(out, ref, job);
      }),
    );
}

async function follow(ctx: CliContext, api: ApiHttp, out: Output, path: string, ref: string, first: BackfillJob): Promise<BackfillJob> {
  const tty = out.format !== 'json' && (ctx.stdout as { isTTY?: boolean }).isTTY === true;
  const onInterrupt = (): void => {
    if (tty) ctx.stdout.write('\n');
    ctx.stderr.write(`stopped following; the backfill goes on server-side: im integration backfill ${ref} --status (or --cancel)\n`);
    process.exit(130);
  };
  process.once('SIGINT', onInterrupt);
  let job = first;
  let lastLineAt = 0;
  let lastKey = '';
  let changedAt = Date.now();
  try {
    for (;;) {
      const o = job.outbound?.counts;
      const key = `${job.status}/${job.counts.scanned}/${job.counts.queued}/${job.counts.linked}/${o ? `${o.scanned}/${o.queued}/${o.created}` : ''}`;
      if (key !== lastKey) changedAt = Date.now();
      if (tty) ctx.stdout.write(`\r${progressBar(job)}\x1b[K`);
      else if (out.format !== 'json' && key !== lastKey && Date.now() - lastLineAt >= LINE_EVERY_MS) {
        out.line(progressLine(job));
        lastLineAt = Date.now();
      }
      lastKey = key;
      if (followDone(job, Date.now() - changedAt, PATIENCE_MS)) break;
      await sleep(POLL_MS);
      job = await api.get<BackfillJob>(path);
    }
  } finally {
    process.removeListener('SIGINT', onInterrupt);
  }
  if (tty) ctx.stdout.write('\n');
  return job;
}

function summary(out: Output, ref: string, job: BackfillJob): void {
  out.line(progressLine(job));
  if (job.dry_run && job.plan.length > 0) {
    out.line('');
    out.list(job.plan, [
      { header: 'PAGERDUTY', value: (p) => `${p.pd_incident_id}${p.pd_incident_number ? ` (#${p.pd_incident_number})` : ''}` },
      { header: 'SERVICE', value: (p) => p.pd_service_id },
      { header: 'ACTION', value: (p) => p.action },
      { header: 'TITLE', value: (p) => p.title },
      { header: 'WHAT', value: (p) => p.detail },
    ]);
  }
  const outbound = job.outbound ?? null;
  if (outbound !== null && job.dry_run && outbound.plan.length > 0) {
    out.line('');
    out.list(outbound.plan, [
      { header: 'INCIDENT', value: (p) => p.number },
      { header: 'ACTION', value: (p) => p.action },
      { header: 'TITLE', value: (p) => p.title },
      { header: 'WHAT', value: (p) => p.detail },
    ]);
  }
  if (outbound !== null && outbound.unmapped.length > 0) {
    out.line('');
    out.line(`${outbound.counts.unmapped} platform incidents are not pushed: their type maps to no PagerDuty service (add a service mapping or a default service, then run again):`);
    out.list(outbound.unmapped, [
      { header: 'INCIDENT', value: (u) => u.number },
      { header: 'TYPE', value: (u) => u.incident_type ?? '(none)' },
      { header: 'TITLE', value: (u) => u.title },
    ]);
  }
  for (const e of job.errors) out.line(`error ${e.pd_incident_id ?? e.incident_id ?? '-'}: ${e.message}`);
  const pending = pendingOf(job);
  if (job.status === 'running' || pending > 0) out.line(`${pending} queued incidents are still being applied in order; im integration backfill ${ref} --status`);
  if (job.status === 'failed') throw new CliError(`backfill ${job.id} failed: ${job.errors[job.errors.length - 1]?.message ?? 'see im integration backfill --status'}`);
  if (job.status === 'cancelled') throw new CliError(`backfill ${job.id} was cancelled; run it again to go on (nothing is linked twice)`);
}

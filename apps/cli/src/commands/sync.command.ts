import { Command } from 'commander';
import { CliContext } from '../cli-context';
import { CliError } from '../cli-error';
import { integrationGroup } from './command-groups';
import { integrationPath } from './integration.types';

/** GET /integrations/:ref/links row (sync-engine). */
interface LinkRow {
  link_id: string;
  platform_incident_id: string;
  pd_incident_id: string | null;
  pd_incident_number: number | null;
  pd_html_url: string | null;
  last_synced_at: string | null;
  last_direction: string | null;
  fields: Record<string, { agreed: { platform: unknown; external: unknown } | null; platform: unknown; external: unknown; frozen: boolean }>;
  open_conflicts: number;
}

interface DecisionRow {
  at: string;
  source: string;
  event_type: string | null;
  field: string | null;
  side: string | null;
  outcome: string;
  reason: string;
}

/** POST /integrations/:ref/reconcile (sync-engine, issue #14). */
interface ReconcileResult {
  started_at: string;
  duration_ms: number;
  since: string;
  incidents_checked: number;
  requests: number;
  repairs: Record<string, number>;
  drift: { pd_incident_id: string; platform_incident_id: string; field: string; platform: unknown; pagerduty: unknown; action: string }[];
  errors: { pd_incident_id: string | null; message: string }[];
  dry_run: boolean;
}

interface LastReconcile {
  at: string;
  duration_ms: number;
  trigger: string;
  incidents_checked: number;
  repairs: Record<string, number>;
  drift_found: number;
  errors: number;
}

const byField = (repairs: Record<string, number>): string => (Object.keys(repairs).length === 0 ? 'none' : Object.entries(repairs).map(([f, n]) => `${f}=${n}`).join(', '));

/** `last_reconcile` of sync-status in one line. */
function lastReconcileLine(r: LastReconcile | null | undefined): string {
  if (!r) return 'never';
  return `${r.at} (${r.trigger}, ${r.duration_ms} ms): ${r.incidents_checked} incidents checked, repairs ${byField(r.repairs)}, ${r.drift_found} drift, ${r.errors} errors`;
}

/** sync-status `webhook_subscription` (the last reconcile pass's check). */
interface WebhookSubscription {
  state: string;
  action: string;
  detail: string;
  fix: string | null;
}

function webhookLine(w: WebhookSubscription | null | undefined): string {
  if (!w) return 'not checked yet (the next reconcile pass checks it)';
  return `${w.state}${w.action === 'none' ? '' : `, ${w.action}`}: ${w.detail}${w.fix ? ` — fix: ${w.fix}` : ''}`;
}

interface OncallRow {
  user_name: string | null;
  email: string | null;
  user_id: string;
  escalation_policy_name?: string | null;
  escalation_level?: number;
  start: string | null;
  end: string | null;
}

/** A field's state in one word: in sync, frozen by a conflict, or out of sync. */
function fieldState(f: LinkRow['fields'][string] | undefined): string {
  if (!f) return '-';
  if (f.frozen) return 'frozen';
  if (f.agreed === null) return f.platform === null && f.external === null ? '-' : 'pending';
  return JSON.stringify(f.agreed.platform) === JSON.stringify(f.platform) ? 'in-sync' : 'pending';
}

/** `im integration links|history|sync-status|reconcile|oncall` (sync-engine's operator surfaces). */
export function registerSyncCommands(program: Command, ctx: CliContext): void {
  const integration = integrationGroup(program);

  integration
    .command('links')
    .description('platform incident ↔ PagerDuty incident links: last sync time and direction, per-field state')
    .argument('<integration>', 'id or slug')
    .option('--incident <id>', 'only the link of this platform or PagerDuty incident')
    .action(
      ctx.action<{ incident?: string }>(async ({ api, out, args, opts }) => {
        const result = await api.get<{ data: LinkRow[] }>(integrationPath(args[0] ?? '', '/links'), { incident: opts.incident });
        out.list(result.data, [
          { header: 'PLATFORM INCIDENT', value: (l) => l.platform_incident_id },
          { header: 'PAGERDUTY', value: (l) => (l.pd_incident_id ? `${l.pd_incident_id}${l.pd_incident_number ? ` (#${l.pd_incident_number})` : ''}` : 'creating…') },
          { header: 'LAST SYNC', value: (l) => l.last_synced_at },
          { header: 'DIRECTION', value: (l) => l.last_direction },
          { header: 'TITLE', value: (l) => fieldState(l.fields['title']) },
          { header: 'STATUS', value: (l) => fieldState(l.fields['status']) },
          { header: 'SEVERITY', value: (l) => fieldState(l.fields['severity']) },
          { header: 'ASSIGNEE', value: (l) => fieldState(l.fields['assigned_to']) },
          { header: 'ESC. POLICY', value: (l) => fieldState(l.fields['escalation_policy']) },
          { header: 'CONFLICTS', value: (l) => l.open_conflicts },
        ], result);
      }),
    );

  integration
    .command('history')
    .description('every sync decision about one incident, with its reason')
    .argument('<integration>', 'id or slug')
    .requiredOption('--incident <id>', 'platform incident id or PagerDuty incident id')
    .action(
      ctx.action<{ incident: string }>(async ({ api, out, args, opts }) => {
        const result = await api.get<{ data: DecisionRow[] }>(integrationPath(args[0] ?? '', '/history'), { incident: opts.incident });
        out.list(result.data, [
          { header: 'AT', value: (d) => d.at },
          { header: 'SOURCE', value: (d) => `${d.source}${d.event_type ? ` ${d.event_type}` : ''}` },
          { header: 'FIELD', value: (d) => d.field },
          { header: 'OUTCOME', value: (d) => d.outcome },
          { header: 'REASON', value: (d) => d.reason },
        ], result);
      }),
    );

  integration
    .command('sync-status')
    .description('outbound queue, tokens, last success/error, 429s, lags, unknown users, open conflicts, DLQ size')
    .argument('<integration>', 'id or slug')
    .action(
      ctx.action(async ({ api, out, args }) => {
        const s = await api.get<Record<string, unknown> & { unknown_users: { side: string; key: string }[]; last_error: { at: string; message: string } | null }>(integrationPath(args[0] ?? '', '/sync-status'));
        out.detail({
          integration: s['slug'],
          enabled: s['enabled'],
          direction: s['sync_direction'],
          outbound_queue_depth: s['outbound_queue_depth'],
          tokens_available: s['tokens_available'],
          rate_limit_per_minute: s['rate_limit_per_minute'],
          last_success_at: s['last_success_at'],
          last_error: s.last_error ? `${s.last_error.at} ${s.last_error.message}` : null,
          rate_limited_429s: s['rate_limited_429_count'],
          outbound_lag_seconds: s['outbound_lag_seconds'],
          oldest_unsynced_change_at: s['oldest_unsynced_change_at'],
          inbound_lag_seconds: s['inbound_lag_seconds'],
          unknown_users: s.unknown_users.length === 0 ? 'none' : s.unknown_users.map((u) => `${u.key} (${u.side === 'platform' ? 'no PagerDuty user' : 'no email'})`).join(', '),
          open_conflicts: s['open_conflicts'],
          dlq_size: s['dlq_size'],
          last_reconcile: lastReconcileLine(s['last_reconcile'] as LastReconcile | null | undefined),
          webhook_subscription: webhookLine(s['webhook_subscription'] as WebhookSubscription | null | undefined),
        }, s);
      }),
    );

  integration
    .command('reconcile')
    .description('one drift reconciliation pass now: read PagerDuty, compare with the links, repair through the same rules as webhooks')
    .argument('<integration>', 'id or slug')
    .option('--since <time>', 'also read incidents created since this ISO 8601 time (default: since the last pass)')
    .option('--dry-run', 'report the drift, change nothing')
    .addHelpText('after', `
Examples:
  im integration reconcile prod-pd
  im integration reconcile prod-pd --since 2026-12-01T00:00:00Z --dry-run
  im integration reconcile prod-pd --format json`)
    .action(
      ctx.action<{ since?: string; dryRun?: boolean }>(async ({ api, out, args, opts }) => {
        const body: Record<string, unknown> = { dry_run: opts.dryRun === true };
        if (opts.since !== undefined) body.since = opts.since;
        const r = await api.post<ReconcileResult>(integrationPath(args[0] ?? '', '/reconcile'), body);
        if (out.format === 'json') return out.json(r);
        out.detail({
          dry_run: r.dry_run,
          started_at: r.started_at,
          duration_ms: r.duration_ms,
          since: r.since,
          incidents_checked: r.incidents_checked,
          pagerduty_requests: r.requests,
          repairs: byField(r.repairs),
          drift: r.drift.length,
          errors: r.errors.length === 0 ? 'none' : r.errors.map((e) => `${e.pd_incident_id ?? '-'}: ${e.message}`).join('; '),
        });
        if (r.drift.length === 0) return;
        out.line('');
        out.list(r.drift, [
          { header: 'PAGERDUTY', value: (d) => d.pd_incident_id },
          { header: 'PLATFORM INCIDENT', value: (d) => d.platform_incident_id },
          { header: 'FIELD', value: (d) => d.field },
          { header: 'PLATFORM', value: (d) => d.platform },
          { header: 'PAGERDUTY VALUE', value: (d) => d.pagerduty },
          { header: 'ACTION', value: (d) => d.action },
        ]);
      }),
    );

  integration
    .command('oncall')
    .description('who is on call now and next for a PagerDuty schedule')
    .argument('<integration>', 'id or slug')
    .requiredOption('--schedule-id <id>', 'PagerDuty schedule id, e.g. PABC123')
    .action(
      ctx.action<{ scheduleId: string }>(async ({ api, out, args, opts }) => {
        const result = await api.get<{ schedule_id: string; schedule_name: string | null; now: OncallRow[]; next: OncallRow | null }>(integrationPath(args[0] ?? '', '/oncall'), { schedule_id: opts.scheduleId });
        if (out.format === 'json') return out.json(result);
        const rows = [...result.now.map((o) => ({ when: 'now', ...o })), ...(result.next ? [{ when: 'next', ...result.next }] : [])];
        if (rows.length === 0) throw new CliError(`nobody is on call for schedule ${result.schedule_id}`);
        out.line(`${result.schedule_name ?? result.schedule_id} (${result.schedule_id})`);
        out.list(rows, [
          { header: 'WHEN', value: (r) => r.when },
          { header: 'USER', value: (r) => r.user_name ?? r.user_id },
          { header: 'EMAIL', value: (r) => r.email },
          { header: 'LEVEL', value: (r) => r.escalation_level ?? '-' },
          { header: 'FROM', value: (r) => r.start },
          { header: 'UNTIL', value: (r) => r.end },
        ], result);
      }),
    );
}

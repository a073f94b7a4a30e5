import { Command } from 'commander';
import { CliContext } from '../cli-context';
import { CliError } from '../cli-error';

interface ConflictRow {
  id: string;
  integration_id: string;
  platform_incident_id: string;
  pd_incident_id: string | null;
  field: string;
  status: string;
  opened_at: string;
  reason: string;
  platform_value: unknown;
  external_value: unknown;
  resolution: string | null;
  resolved_by: string | null;
}

const show = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/** `im conflict list|get|resolve`: the manual-review queue (sync-engine). */
export function registerConflictCommands(program: Command, ctx: CliContext): void {
  const conflict = program.command('conflict').description('the manual-review queue of sync conflicts');

  conflict
    .command('list')
    .description('open conflicts (or --status resolved|all)')
    .option('--integration <integration>', 'only this integration (id or slug)')
    .option('--status <status>', 'open, resolved or all', 'open')
    .option('--incident <id>', 'only conflicts of this platform or PagerDuty incident')
    .action(
      ctx.action<{ integration?: string; status: string; incident?: string }>(async ({ api, out, opts }) => {
        const result = await api.get<{ data: ConflictRow[] }>('/api/v1/conflicts', { status: opts.status, integration: opts.integration, incident: opts.incident });
        out.list(result.data, [
          { header: 'ID', value: (c) => c.id },
          { header: 'FIELD', value: (c) => c.field },
          { header: 'PLATFORM INCIDENT', value: (c) => c.platform_incident_id },
          { header: 'PAGERDUTY', value: (c) => c.pd_incident_id },
          { header: 'PLATFORM VALUE', value: (c) => show(c.platform_value) },
          { header: 'PAGERDUTY VALUE', value: (c) => show(c.external_value) },
          { header: 'STATUS', value: (c) => (c.resolution ? `${c.status} (${c.resolution})` : c.status) },
          { header: 'OPENED', value: (c) => c.opened_at },
        ], result);
      }),
    );

  conflict
    .command('get')
    .description('one conflict with both competing values and the reason')
    .argument('<id>', 'conflict id')
    .action(
      ctx.action(async ({ api, out, args }) => {
        const c = await api.get<ConflictRow>(`/api/v1/conflicts/${encodeURIComponent(args[0] ?? '')}`);
        out.detail({ ...c, platform_value: show(c.platform_value), external_value: show(c.external_value) }, c);
      }),
    );

  conflict
    .command('resolve')
    .description('decide a conflict: take one side\'s value, a value of your own, or ignore it; the field syncs again')
    .argument('<id>', 'conflict id')
    .option('--take <side>', 'platform, external (PagerDuty) or value')
    .option('--value <value>', 'with --take value: the platform value to write (use "null" to clear)')
    .option('--ignore', 'dismiss: both sides keep what they hold')
    .action(
      ctx.action<{ take?: string; value?: string; ignore?: boolean }>(async ({ api, out, args, opts }) => {
        let body: Record<string, unknown>;
        if (opts.ignore) {
          if (opts.take) throw new CliError('give either --take or --ignore, not both');
          body = { decision: 'ignore' };
        } else if (opts.take === 'platform' || opts.take === 'external') {
          body = { decision: `take_${opts.take}` };
        } else if (opts.take === 'value') {
          if (opts.value === undefined) throw new CliError('--take value needs --value');
          body = { decision: 'take_value', value: opts.value === 'null' ? null : opts.value };
        } else {
          throw new CliError('give --take platform|external|value or --ignore');
        }
        const c = await api.post<ConflictRow>(`/api/v1/conflicts/${encodeURIComponent(args[0] ?? '')}/resolve`, body);
        out.message(`resolved conflict ${c.id} on ${c.field} (${c.resolution ?? body['decision']})`, c);
      }),
    );
}

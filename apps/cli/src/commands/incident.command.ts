import { Command } from 'commander';
import { CliContext } from '../cli-context';
import { CliError } from '../cli-error';
import { parseNumber } from '../option-parsers';
import { groupCommand } from './command-groups';

/** GET /api/v1/incidents/:id (apps/incidents). */
interface IncidentView {
  id: string;
  number: string;
  organization_id: string;
  title: string;
  description: string | null;
  severity: string;
  status: string;
  assigned_to: string | null;
  escalation_policy: { id: string; name: string | null } | null;
  incident_type: string | null;
  version: number;
  created_at: string;
  updated_at: string;
  external_refs: { system: string; id: string; number: string | null; url: string | null }[];
}

interface TimelineEntryView {
  id: string;
  kind: string;
  field: string | null;
  old_value: string | null;
  new_value: string | null;
  message: string | null;
  actor: string;
  origin: { type: string; integration_id: string | null; command_id: string | null };
  created_at: string;
}

const path = (ref: string | undefined): string => `/api/v1/incidents/${encodeURIComponent(ref ?? '')}`;
/** `--assigned-to ""` (or `none`) clears a clearable field. */
const clearable = (value: string | undefined): string | null | undefined => (value === undefined ? undefined : value === '' || value === 'none' ? null : value);
const upper = (value: string | undefined): string | undefined => value?.toUpperCase();
const lower = (value: string | undefined): string | undefined => value?.toLowerCase();

function details(i: IncidentView): Record<string, unknown> {
  return {
    number: i.number,
    id: i.id,
    title: i.title,
    severity: i.severity,
    status: i.status,
    assigned_to: i.assigned_to,
    escalation_policy: i.escalation_policy ? `${i.escalation_policy.name ?? '-'} (${i.escalation_policy.id})` : null,
    incident_type: i.incident_type,
    description: i.description,
    version: i.version,
    created_at: i.created_at,
    updated_at: i.updated_at,
    pagerduty: i.external_refs.filter((r) => r.system === 'pagerduty').map((r) => r.url ?? r.id).join(', ') || null,
  };
}

function describeEntry(e: TimelineEntryView): string {
  if (e.field && (e.kind === 'status_changed' || e.kind === 'field_changed')) return `${e.field}: ${e.old_value ?? '-'} → ${e.new_value ?? '-'}`;
  return e.message ?? e.field ?? '';
}

/** `im incident …`: the platform's incidents (create, list, get, update, note, timeline). */
export function registerIncidentCommands(program: Command, ctx: CliContext): void {
  const group = groupCommand(program, 'incident', 'platform incidents: create, list, get, update, note, timeline');

  group
    .command('create')
    .description('create an incident')
    .requiredOption('--title <title>', 'short summary')
    .requiredOption('--severity <severity>', 'SEV-1 … SEV-4')
    .option('--description <text>', 'details')
    .option('--status <status>', 'initial status (default open)')
    .option('--assigned-to <email>', 'assignee email')
    .option('--type <incident-type>', 'incident type')
    .option('--escalation-policy <id>', 'escalation policy id')
    .option('--escalation-policy-name <name>', 'escalation policy name')
    .action(
      ctx.action<{ title: string; severity: string; description?: string; status?: string; assignedTo?: string; type?: string; escalationPolicy?: string; escalationPolicyName?: string }>(async ({ api, out, opts }) => {
        const created = await api.post<IncidentView>('/api/v1/incidents', {
          title: opts.title,
          severity: upper(opts.severity),
          description: opts.description,
          status: lower(opts.status),
          assigned_to: opts.assignedTo,
          incident_type: opts.type,
          escalation_policy: opts.escalationPolicy ? { id: opts.escalationPolicy, name: opts.escalationPolicyName } : undefined,
        });
        out.detail(details(created), created);
      }),
    );

  group
    .command('list')
    .description('list incidents, newest first')
    .option('--status <status>', 'open, mitigated, resolved, closed (comma-separated for several)')
    .option('--severity <severity>', 'SEV-1 … SEV-4 (comma-separated for several)')
    .option('--type <incident-type>', 'incident type')
    .option('--assigned-to <email>', 'assignee email')
    .option('--updated-since <timestamp>', 'ISO 8601, e.g. 2026-11-26T00:00:00Z')
    .option('--limit <n>', 'page size (1-200, default 50)', parseNumber)
    .option('--cursor <cursor>', 'next page, as printed by the previous call')
    .action(
      ctx.action<{ status?: string; severity?: string; type?: string; assignedTo?: string; updatedSince?: string; limit?: number; cursor?: string }>(async ({ api, out, opts }) => {
        const result = await api.get<{ data: IncidentView[]; next_cursor: string | null }>('/api/v1/incidents', {
          status: lower(opts.status),
          severity: upper(opts.severity),
          incident_type: opts.type,
          assigned_to: opts.assignedTo,
          updated_since: opts.updatedSince,
          limit: opts.limit,
          cursor: opts.cursor,
        });
        out.list(result.data, [
          { header: 'NUMBER', value: (i) => i.number },
          { header: 'SEVERITY', value: (i) => i.severity },
          { header: 'STATUS', value: (i) => i.status },
          { header: 'ASSIGNED TO', value: (i) => i.assigned_to },
          { header: 'UPDATED', value: (i) => i.updated_at },
          { header: 'TITLE', value: (i) => i.title },
        ], result);
        if (out.format === 'table' && result.next_cursor) out.line(`more: --cursor ${result.next_cursor}`);
      }),
    );

  group
    .command('get')
    .description('show one incident')
    .argument('<id>', 'incident id or number (INC-42)')
    .action(
      ctx.action(async ({ api, out, args }) => {
        const incident = await api.get<IncidentView>(path(args[0]));
        out.detail(details(incident), incident);
      }),
    );

  group
    .command('update')
    .description('change fields of an incident (only the options given)')
    .argument('<id>', 'incident id or number (INC-42)')
    .option('--title <title>', 'short summary')
    .option('--severity <severity>', 'SEV-1 … SEV-4')
    .option('--status <status>', 'open, mitigated, resolved, closed')
    .option('--description <text>', 'details ("" clears)')
    .option('--assigned-to <email>', 'assignee email ("" or none clears)')
    .option('--type <incident-type>', 'incident type ("" clears)')
    .option('--reopen', 'allow closed → open')
    .option('--if-match <version>', 'only update if the incident is still at this version (else 409)', parseNumber)
    .action(
      ctx.action<{ title?: string; severity?: string; status?: string; description?: string; assignedTo?: string; type?: string; reopen?: boolean; ifMatch?: number }>(async ({ api, out, args, opts }) => {
        const body: Record<string, unknown> = {
          title: opts.title,
          severity: upper(opts.severity),
          status: lower(opts.status),
          description: clearable(opts.description),
          assigned_to: clearable(opts.assignedTo),
          incident_type: clearable(opts.type),
        };
        for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
        if (Object.keys(body).length === 0 && !opts.reopen) throw new CliError('nothing to update: give at least one of --title, --severity, --status, --description, --assigned-to, --type');
        if (opts.reopen) body.reopen = true;
        // The body `version` is the API's equivalent of If-Match.
        if (opts.ifMatch !== undefined) body.version = opts.ifMatch;
        const updated = await api.patch<IncidentView>(path(args[0]), body);
        out.detail(details(updated), updated);
      }),
    );

  group
    .command('note')
    .description('add a note to the incident timeline')
    .argument('<id>', 'incident id or number (INC-42)')
    .requiredOption('--body <text>', 'the note')
    .action(
      ctx.action<{ body: string }>(async ({ api, out, args, opts }) => {
        const entry = await api.post<TimelineEntryView>(`${path(args[0])}/notes`, { body: opts.body });
        out.message(`added note to ${args[0] ?? ''}`, entry);
      }),
    );

  group
    .command('timeline')
    .description('show the incident history: status changes, field edits, notes, sync entries')
    .argument('<id>', 'incident id or number (INC-42)')
    .action(
      ctx.action(async ({ api, out, args }) => {
        const result = await api.get<{ data: TimelineEntryView[] }>(`${path(args[0])}/timeline`);
        out.list(result.data, [
          { header: 'TIME', value: (e) => e.created_at },
          { header: 'KIND', value: (e) => e.kind },
          { header: 'BY', value: (e) => (e.origin.type === 'integration' ? `${e.actor} (sync)` : e.actor) },
          { header: 'WHAT', value: (e) => describeEntry(e) },
        ], result);
      }),
    );
}

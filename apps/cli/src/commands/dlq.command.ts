import { Command } from 'commander';
import { CliContext } from '../cli-context';
import { CliError } from '../cli-error';
import { Column } from '../output';
import { parseNumber } from '../option-parsers';
import { groupCommand, integrationGroup } from './command-groups';

/** GET /api/v1/dlq items (apps/dlq-manager). */
interface DeadLetterSummary {
  id: string;
  organization_id: string | null;
  integration_id: string | null;
  original_topic: string;
  message_key: string | null;
  error_code: string;
  error_message: string;
  retryable: boolean;
  attempts: number;
  status: string;
  unreadable: boolean;
  replay_count: number;
  first_failed_at: string;
  last_failed_at: string;
  last_replayed_at: string | null;
  discarded_at: string | null;
  created_at: string;
  payload_preview: string;
  payload_bytes: number;
}

/** GET /api/v1/dlq/:id. */
interface DeadLetterDetail extends DeadLetterSummary {
  payload: string;
  payload_json: unknown;
  headers: Record<string, string>;
  consumer_group: string | null;
  partition: number | null;
  offset: string | null;
  dlq_topic: string;
  last_actor: string | null;
}

interface DeadLetterPage {
  data: DeadLetterSummary[];
  total: number;
  limit: number;
  offset: number;
}

interface BulkReplayResult {
  replayed: string[];
  skipped: { id: string; reason: string }[];
}

interface ListOptions {
  topic?: string;
  status?: string;
  integration?: string;
  limit?: number;
  offset?: number;
}

const path = (id: string | undefined): string => `/api/v1/dlq/${encodeURIComponent(id ?? '')}`;
const short = (text: string, max: number): string => (Array.from(text).length <= max ? text : `${Array.from(text).slice(0, max - 1).join('')}…`);

const COLUMNS: readonly Column<DeadLetterSummary>[] = [
  { header: 'ID', value: (d) => d.id },
  { header: 'STATUS', value: (d) => (d.unreadable ? `${d.status} (unreadable)` : d.status) },
  { header: 'TOPIC', value: (d) => d.original_topic },
  { header: 'KEY', value: (d) => d.message_key },
  { header: 'ERROR', value: (d) => `${d.error_code}: ${short(d.error_message, 60)}` },
  { header: 'ATTEMPTS', value: (d) => d.attempts },
  { header: 'REPLAYS', value: (d) => d.replay_count },
  { header: 'FAILED', value: (d) => d.last_failed_at },
  { header: 'PAYLOAD', value: (d) => short(d.payload_preview, 60) },
];

function addListOptions(command: Command, withIntegration: boolean): Command {
  command
    .option('--status <status>', 'pending, replayed, discarded (comma-separated for several)')
    .option('--topic <topic>', 'origin topic (or its .dlq name), e.g. pagerduty.commands.v1')
    .option('--limit <n>', 'page size (1-200, default 50)', parseNumber)
    .option('--offset <n>', 'skip this many (newest first)', parseNumber);
  if (withIntegration) command.option('--integration <integration>', 'integration id or slug');
  return command;
}

function printPage(out: { list: (rows: readonly DeadLetterSummary[], columns: readonly Column<DeadLetterSummary>[], json: unknown) => void; line: (t: string) => void; format: string }, page: DeadLetterPage): void {
  out.list(page.data, COLUMNS, page);
  if (out.format !== 'json' && page.total > page.offset + page.data.length) {
    out.line(`(${page.data.length} of ${page.total}; next page: --offset ${page.offset + page.data.length})`);
  }
}

function printBulk(out: { detail: (f: Record<string, unknown>, json: unknown) => void; line: (t: string) => void; format: string }, result: BulkReplayResult): void {
  out.detail({ replayed: result.replayed.length, skipped: result.skipped.length }, result);
  if (out.format === 'json') return;
  for (const id of result.replayed) out.line(`  replayed ${id}`);
  for (const s of result.skipped) out.line(`  skipped  ${s.id}: ${s.reason}`);
}

/** `im dlq …` (dlq-manager) and `im integration dlq <integration>`. */
export function registerDlqCommands(program: Command, ctx: CliContext): void {
  const group = groupCommand(program, 'dlq', 'dead letters: list, inspect, replay to their origin topic, discard');

  addListOptions(group.command('list').description('list dead letters, newest first'), true).action(
    ctx.action<ListOptions>(async ({ api, out, opts }) => {
      const page = await api.get<DeadLetterPage>('/api/v1/dlq', { status: opts.status, topic: opts.topic, integration: opts.integration, limit: opts.limit, offset: opts.offset });
      printPage(out, page);
    }),
  );

  group
    .command('get')
    .description('one dead letter in full: error, origin, headers and the payload')
    .argument('<id>', 'dead-letter id')
    .action(
      ctx.action(async ({ api, out, args }) => {
        const d = await api.get<DeadLetterDetail>(path(args[0]));
        out.detail({
          id: d.id,
          status: d.unreadable ? `${d.status} (unreadable envelope: not replayable)` : d.status,
          topic: d.original_topic,
          key: d.message_key,
          integration: d.integration_id,
          organization: d.organization_id,
          error: `${d.error_code}: ${d.error_message}`,
          retryable: d.retryable,
          attempts: d.attempts,
          first_failed_at: d.first_failed_at,
          last_failed_at: d.last_failed_at,
          consumer: d.consumer_group,
          origin: d.partition === null ? null : `partition ${d.partition}, offset ${d.offset ?? '-'}`,
          replays: d.replay_count,
          last_replayed_at: d.last_replayed_at,
          discarded_at: d.discarded_at,
          last_actor: d.last_actor,
          headers: d.headers,
        }, d);
        if (out.format !== 'json') {
          out.line('payload:');
          out.line(d.payload);
        }
      }),
    );

  group
    .command('replay')
    .description('re-publish dead letters to their origin topic: by id(s), or every match of --topic/--integration (pending unless --status replayed)')
    .argument('[ids...]', 'dead-letter ids')
    .option('--topic <topic>', 'replay every pending dead letter of this origin topic')
    .option('--integration <integration>', 'replay every pending dead letter of this integration (id or slug)')
    .option('--status <status>', 'with a filter: pending (default) or replayed (replay again)')
    .option('--limit <n>', 'with a filter: at most this many (default and maximum 500)', parseNumber)
    .action(
      ctx.action<{ topic?: string; integration?: string; status?: string; limit?: number }>(async ({ api, out, args, opts }) => {
        const ids = (args[0] as unknown as string[] | undefined) ?? [];
        const filtered = opts.topic !== undefined || opts.integration !== undefined || opts.status !== undefined || opts.limit !== undefined;
        if (ids.length > 0 && filtered) throw new CliError('give dead-letter ids or --topic/--integration, not both');
        if (ids.length === 1) {
          const d = await api.post<DeadLetterDetail>(`${path(ids[0])}/replay`);
          out.message(`replayed ${d.id} to ${d.original_topic} (replay #${d.replay_count})`, d);
          return;
        }
        if (ids.length === 0 && opts.topic === undefined && opts.integration === undefined) {
          throw new CliError('name what to replay: dead-letter id(s), --topic <topic> or --integration <integration>');
        }
        const result = await api.post<BulkReplayResult>('/api/v1/dlq/replay', ids.length > 0 ? { ids } : { topic: opts.topic, integration: opts.integration, status: opts.status, limit: opts.limit });
        printBulk(out, result);
        if (result.skipped.length > 0 && result.replayed.length === 0 && ids.length > 0) process.exitCode = 1;
      }),
    );

  group
    .command('discard')
    .description('mark dead letters discarded (kept for the record, never replayed)')
    .argument('<ids...>', 'dead-letter ids')
    .action(
      ctx.action(async ({ api, out, args }) => {
        const ids = (args[0] as unknown as string[] | undefined) ?? [];
        const done: DeadLetterDetail[] = [];
        for (const id of ids) done.push(await api.post<DeadLetterDetail>(`${path(id)}/discard`));
        out.message(done.map((d) => `discarded ${d.id}`).join('\n'), done.length === 1 ? done[0] : { data: done });
      }),
    );

  addListOptions(
    integrationGroup(program).command('dlq').description("one integration's dead letters, newest first").argument('<integration>', 'integration id or slug'),
    false,
  ).action(
    ctx.action<ListOptions>(async ({ api, out, args, opts }) => {
      const page = await api.get<DeadLetterPage>(`/api/v1/integrations/${encodeURIComponent(args[0] ?? '')}/dlq`, { status: opts.status, topic: opts.topic, limit: opts.limit, offset: opts.offset });
      printPage(out, page);
    }),
  );
}

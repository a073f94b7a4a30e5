import { Command } from 'commander';
import { CliContext } from '../cli-context';
import { CliError } from '../cli-error';
import { groupCommand } from './command-groups';

interface ApiKeyView {
  id: string;
  organization_id: string;
  name: string;
  prefix: string;
  created_at: string;
  last_used_at?: string | null;
  /** Only in the answer to create, never again. */
  api_key?: string;
}

/** `im api-key …`: organization API keys (creating one needs the admin key). */
export function registerApiKeyCommands(program: Command, ctx: CliContext): void {
  const group = groupCommand(program, 'api-key', 'organization API keys (create needs the bootstrap admin key)');
  const columns = [
    { header: 'ID', value: (k: ApiKeyView) => k.id },
    { header: 'ORGANIZATION', value: (k: ApiKeyView) => k.organization_id },
    { header: 'NAME', value: (k: ApiKeyView) => k.name },
    { header: 'PREFIX', value: (k: ApiKeyView) => k.prefix },
    { header: 'CREATED', value: (k: ApiKeyView) => k.created_at },
  ];
  group
    .command('create')
    .description('create an API key for an organization; the key is shown once')
    .requiredOption('--name <name>', 'what the key is for, e.g. ci')
    .action(
      ctx.action<{ name: string }>(async ({ api, out, global, opts }) => {
        if (!global.org) throw new CliError('--org is required: the organization the key belongs to');
        const created = await api.post<ApiKeyView>('/api/v1/api-keys', { organization_id: global.org, name: opts.name });
        out.detail({ id: created.id, organization: created.organization_id, name: created.name, api_key: created.api_key, note: 'store the key now: it is not shown again' }, created);
      }),
    );
  group
    .command('list')
    .description('list API keys (the admin key sees every organization, or --org)')
    .action(
      ctx.action(async ({ api, out, global }) => {
        const result = await api.get<{ data: ApiKeyView[] }>('/api/v1/api-keys', { organization_id: global.org });
        out.list(result.data, columns, result);
      }),
    );
  group
    .command('delete')
    .description('revoke an API key')
    .argument('<id>', 'key id')
    .action(
      ctx.action(async ({ api, out, args }) => {
        await api.delete(`/api/v1/api-keys/${encodeURIComponent(args[0] ?? '')}`);
        out.message(`revoked API key ${args[0] ?? ''}`, { deleted: true, id: args[0] });
      }),
    );
}

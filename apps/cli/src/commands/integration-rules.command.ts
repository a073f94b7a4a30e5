import { Command, Option } from 'commander';
import { CliContext } from '../cli-context';
import { CliError } from '../cli-error';
import { parseBoolean, parseNumber } from '../option-parsers';
import { FieldOwnershipView, integrationPath, ServiceMappingView, UserMappingView } from './integration.types';

/** `im integration field-ownership|service-mapping|user-mapping|webhook-secret …`: an integration's rules. */
export function registerIntegrationRules(integration: Command, ctx: CliContext): void {
  registerFieldOwnership(integration, ctx);
  registerServiceMappings(integration, ctx);
  registerUserMappings(integration, ctx);
  registerWebhookSecrets(integration, ctx);
}

function registerFieldOwnership(integration: Command, ctx: CliContext): void {
  const group = integration.command('field-ownership').description('which side owns each synced field (higher priority wins conflicts)');
  const columns = [
    { header: 'FIELD', value: (r: FieldOwnershipView) => r.field },
    { header: 'OWNER', value: (r: FieldOwnershipView) => r.owner },
    { header: 'PRIORITY', value: (r: FieldOwnershipView) => r.priority },
    { header: 'ENFORCED', value: (r: FieldOwnershipView) => (r.authoritative ? 'yes' : 'no') },
    { header: 'DEFAULT', value: (r: FieldOwnershipView) => (r.is_default ? 'yes' : 'no') },
  ];
  group
    .command('list')
    .description('list the ownership of every synced field (defaults included)')
    .argument('<integration>', 'id or slug')
    .action(
      ctx.action(async ({ api, out, args }) => {
        const result = await api.get<{ data: FieldOwnershipView[] }>(integrationPath(args[0] ?? '', '/field-ownership'));
        out.list(result.data, columns, result);
      }),
    );
  group
    .command('set')
    .description('set the owner, priority and enforcement of one field')
    .argument('<integration>', 'id or slug')
    .argument('<field>', 'title | description | severity | status | assigned_to | escalation_policy')
    .addOption(new Option('--owner <owner>', 'the side whose value wins').choices(['platform', 'external']).makeOptionMandatory())
    .option('--priority <n>', 'higher wins when several integrations claim a field (default 0)', parseNumber)
    .option('--authoritative <bool>', "true: the owner's value is enforced, a non-owner's edit is set back to it; false (default): ownership only decides between concurrent edits", parseBoolean)
    .action(
      ctx.action<{ owner: string; priority?: number; authoritative?: boolean }>(async ({ api, out, args, opts }) => {
        const body: Record<string, unknown> = { owner: opts.owner };
        if (opts.priority !== undefined) body.priority = opts.priority;
        if (opts.authoritative !== undefined) body.authoritative = opts.authoritative;
        const rule = await api.put<FieldOwnershipView>(integrationPath(args[0] ?? '', `/field-ownership/${encodeURIComponent(args[1] ?? '')}`), body);
        out.list([rule], columns, rule);
        // Saved, but with no effect yet: say so and name the command that enables it.
        if (out.format === 'table') for (const warning of rule.warnings ?? []) out.line(`warning: ${warning}`);
      }),
    );
  group
    .command('delete')
    .description('remove a rule: the field goes back to its default owner')
    .argument('<integration>', 'id or slug')
    .argument('<field>', 'field name')
    .action(
      ctx.action(async ({ api, out, args }) => {
        await api.delete(integrationPath(args[0] ?? '', `/field-ownership/${encodeURIComponent(args[1] ?? '')}`));
        out.message(`field ${args[1] ?? ''} is back to its default owner`, { deleted: true, field: args[1] });
      }),
    );
}

/**
 * A mapping group (`add` / `list` / `remove` of rows keyed by one value): service mappings and
 * user mappings have this one shape.
 */
interface MappingGroup<V> {
  command: string;
  description: string;
  /** Below the integration: `/service-mappings`. */
  path: string;
  columns: { header: string; value: (row: V) => string | number }[];
  add: { description: string; options: { flag: string; description: string; body: string }[] };
  list: string;
  remove: { description: string; what: string; key: string; keyDescription: string; flag: string; flagDescription: string; body: string; removed: (key: string) => string };
}

function registerMappingGroup<V>(integration: Command, ctx: CliContext, spec: MappingGroup<V>): void {
  const group = integration.command(spec.command).description(spec.description);
  const add = group.command('add').description(spec.add.description).argument('<integration>', 'id or slug');
  const addOptions = spec.add.options.map((o) => ({ body: o.body, option: new Option(o.flag, o.description).makeOptionMandatory() }));
  for (const { option } of addOptions) add.addOption(option);
  add.action(
    ctx.action<Record<string, string>>(async ({ api, out, args, opts }) => {
      const body = Object.fromEntries(addOptions.map(({ body: key, option }) => [key, opts[option.attributeName()]]));
      const mapping = await api.post<V>(integrationPath(args[0] ?? '', spec.path), body);
      out.list([mapping], spec.columns, mapping);
    }),
  );
  group
    .command('list')
    .description(spec.list)
    .argument('<integration>', 'id or slug')
    .action(
      ctx.action(async ({ api, out, args }) => {
        const result = await api.get<{ data: V[] }>(integrationPath(args[0] ?? '', spec.path));
        out.list(result.data, spec.columns, result);
      }),
    );
  const removeOption = new Option(spec.remove.flag, spec.remove.flagDescription);
  group
    .command('remove')
    .description(spec.remove.description)
    .argument('<integration>', 'id or slug')
    .argument(`[${spec.remove.key}]`, spec.remove.keyDescription)
    .addOption(removeOption)
    .action(
      ctx.action<Record<string, string | undefined>>(async ({ api, out, args, opts }) => {
        const key = args[1] ?? opts[removeOption.attributeName()];
        if (!key) throw new CliError(`name the ${spec.remove.what}: im integration ${spec.command} remove <integration> <${spec.remove.key}>`);
        await api.delete(integrationPath(args[0] ?? '', `${spec.path}/${encodeURIComponent(key)}`));
        out.message(spec.remove.removed(key), { deleted: true, [spec.remove.body]: key });
      }),
    );
}

function registerServiceMappings(integration: Command, ctx: CliContext): void {
  registerMappingGroup<ServiceMappingView>(integration, ctx, {
    command: 'service-mapping',
    description: 'PagerDuty service ↔ platform incident type',
    path: '/service-mappings',
    columns: [
      { header: 'PD SERVICE', value: (r) => r.pd_service_id },
      { header: 'INCIDENT TYPE', value: (r) => r.incident_type },
    ],
    add: {
      description: 'map a PagerDuty service to an incident type (replaces an existing mapping of that service)',
      options: [
        { flag: '--pd-service <id>', description: 'PagerDuty service id, e.g. P123ABC', body: 'pd_service_id' },
        { flag: '--incident-type <type>', description: 'platform incident type, e.g. infrastructure', body: 'incident_type' },
      ],
    },
    list: 'list service mappings',
    remove: {
      description: 'remove the mapping of a PagerDuty service',
      what: 'PagerDuty service', key: 'pd-service', keyDescription: 'PagerDuty service id (or --pd-service)',
      flag: '--pd-service <id>', flagDescription: 'PagerDuty service id', body: 'pd_service_id',
      removed: (service) => `removed the mapping of PagerDuty service ${service}`,
    },
  });
}

function registerUserMappings(integration: Command, ctx: CliContext): void {
  registerMappingGroup<UserMappingView>(integration, ctx, {
    command: 'user-mapping',
    description: 'explicit platform user ↔ PagerDuty user overrides (others match by email)',
    path: '/user-mappings',
    columns: [
      { header: 'EMAIL', value: (r) => r.email },
      { header: 'PD USER', value: (r) => r.pd_user_id },
    ],
    add: {
      description: 'map a platform user (email) to a PagerDuty user id',
      options: [
        { flag: '--email <email>', description: 'platform user email', body: 'email' },
        { flag: '--pd-user <id>', description: 'PagerDuty user id, e.g. PXPGF42', body: 'pd_user_id' },
      ],
    },
    list: 'list user mapping overrides',
    remove: {
      description: 'remove the override of a platform user (back to matching by email)',
      what: 'user', key: 'email', keyDescription: 'platform user email (or --email)',
      flag: '--email <email>', flagDescription: 'platform user email', body: 'email',
      removed: (email) => `removed the user mapping of ${email}`,
    },
  });
}

function registerWebhookSecrets(integration: Command, ctx: CliContext): void {
  const group = integration.command('webhook-secret').description('PagerDuty webhook signing secrets (several during rotation)');
  group
    .command('add')
    .description('add a signing secret; keep the old one until PagerDuty signs with the new one')
    .argument('<integration>', 'id or slug')
    .requiredOption('--secret <secret>', 'the signing secret PagerDuty showed')
    .action(
      ctx.action<{ secret: string }>(async ({ api, out, args, opts }) => {
        const added = await api.post<{ id: string; last4: string; created_at: string }>(integrationPath(args[0] ?? '', '/webhook-secrets'), { secret: opts.secret });
        out.list([added], [
          { header: 'ID', value: (s) => s.id },
          { header: 'LAST4', value: (s) => s.last4 },
          { header: 'CREATED', value: (s) => s.created_at },
        ], added);
      }),
    );
  group
    .command('remove')
    .description('retire a signing secret')
    .argument('<integration>', 'id or slug')
    .argument('<secret-id>', 'id shown by `im integration get`')
    .action(
      ctx.action(async ({ api, out, args }) => {
        await api.delete(integrationPath(args[0] ?? '', `/webhook-secrets/${encodeURIComponent(args[1] ?? '')}`));
        out.message(`removed webhook secret ${args[1] ?? ''}`, { deleted: true, id: args[1] });
      }),
    );
}


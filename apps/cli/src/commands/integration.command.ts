import { Command, Option } from 'commander';
import { CliContext } from '../cli-context';
import { CliError } from '../cli-error';
import { ApiHttp } from '../api-http';
import { Output } from '../output';
import { parseBoolean, parseKeyValueList, parseNumber } from '../option-parsers';
import { integrationGroup } from './command-groups';
import {
  ConnectionTestView, FieldOwnershipView, integrationPath, IntegrationView, ServiceMappingView, UserMappingView, WebhookSubscriptionView,
} from './integration.types';

interface ConfigureOptions {
  name?: string;
  slug?: string;
  type?: string;
  baseUrl?: string;
  direction?: string;
  token?: string;
  fromEmail?: string;
  enabled?: boolean;
  conflictStrategy?: string;
  syncEscalations?: boolean;
  rateLimit?: number;
  backoffMultiplier?: number;
  reconcileInterval?: number;
  reconcileBudget?: number;
  defaultService?: string;
  priorityMapping?: Record<string, string>;
  webhookSecret?: string;
  createWebhook?: string;
}

/** Configure flags → the API's snake_case body (only what was given). */
function settingsBody(o: ConfigureOptions): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (o.name !== undefined) body.name = o.name;
  if (o.baseUrl !== undefined) body.base_url = o.baseUrl;
  if (o.direction !== undefined) body.sync_direction = o.direction;
  if (o.token !== undefined) body.credentials = { token: o.token };
  if (o.fromEmail !== undefined) body.from_email = o.fromEmail;
  if (o.enabled !== undefined) body.enabled = o.enabled;
  if (o.conflictStrategy !== undefined) body.conflict_strategy = o.conflictStrategy;
  if (o.syncEscalations !== undefined) body.sync_escalations = o.syncEscalations;
  if (o.rateLimit !== undefined) body.rate_limit = o.rateLimit;
  if (o.backoffMultiplier !== undefined) body.backoff_multiplier = o.backoffMultiplier;
  if (o.reconcileInterval !== undefined) body.reconcile_interval_seconds = o.reconcileInterval;
  if (o.reconcileBudget !== undefined) body.reconcile_budget_percent = o.reconcileBudget;
  if (o.defaultService !== undefined) body.default_service_id = o.defaultService;
  if (o.priorityMapping !== undefined) body.priority_mapping = o.priorityMapping;
  return body;
}

const secretText = (s: { set: boolean; last4: string | null } | undefined): string => (s?.set ? `set (…${s.last4 ?? ''})` : 'not set');

export function printIntegration(out: Output, i: IntegrationView): void {
  out.detail(
    {
      id: i.id,
      slug: i.slug,
      name: i.name,
      organization: i.organization_id,
      type: i.integration_type,
      base_url: i.base_url,
      sync_direction: i.sync_direction,
      enabled: i.enabled,
      conflict_strategy: i.conflict_strategy,
      sync_escalations: i.sync_escalations,
      rate_limit: `${i.rate_limit}/min`,
      backoff_multiplier: i.backoff_multiplier,
      reconcile: `every ${i.reconcile_interval_seconds} s, at most ${i.reconcile_budget_percent}% of the rate limit`,
      from_email: i.from_email,
      default_service: i.default_service_id,
      priority_mapping: Object.entries(i.priority_mapping ?? {}).map(([p, s]) => `${p}=${s}`).join(','),
      token: secretText(i.credentials?.token),
      webhook_secrets: i.webhook_secrets?.length ? i.webhook_secrets.map((w) => `${w.id} (…${w.last4})`).join(', ') : 'none',
      webhook_subscription: i.webhook_subscription_id,
      version: i.version,
      updated_at: i.updated_at,
    },
    i,
  );
}

async function findBySlug(api: ApiHttp, slug: string): Promise<IntegrationView | null> {
  try {
    return await api.get<IntegrationView>(integrationPath(slug));
  } catch (error) {
    if (error instanceof CliError && error.message.startsWith('NOT_FOUND')) return null;
    throw error;
  }
}

function registerConfigure(integration: Command, ctx: CliContext): void {
  integration
    .command('configure')
    .description('create an integration (no <integration> given) or change the settings of one')
    .argument('[integration]', 'id or slug of the integration to change; omit to create')
    .option('--name <name>', 'display name')
    .option('--slug <slug>', 'short unique name within the organization (default: from --name)')
    .option('--type <type>', 'integration type: pagerduty (default)')
    .option('--base-url <url>', 'PagerDuty REST API base URL (https, allow-listed)')
    .addOption(new Option('--direction <direction>', 'sync direction').choices(['none', 'inbound', 'outbound', 'bidirectional']))
    .option('--token <token>', 'PagerDuty REST API token (stored encrypted, never shown again)')
    .option('--from-email <email>', 'PagerDuty user our writes act as (From header)')
    .option('--enabled <bool>', 'true to sync, false to pause', parseBoolean)
    .addOption(new Option('--conflict-strategy <strategy>', 'how simultaneous edits are resolved').choices(['last-write-wins', 'ownership-priority', 'manual-review']))
    .option('--sync-escalations <bool>', 'mirror PagerDuty escalations into the incident timeline', parseBoolean)
    .option('--rate-limit <n>', 'PagerDuty requests per minute (default 120)', parseNumber)
    .option('--backoff-multiplier <n>', 'retry backoff growth factor (default 2)', parseNumber)
    .option('--reconcile-interval <seconds>', 'drift reconciliation every N seconds (default 300)', parseNumber)
    .option('--reconcile-budget <percent>', 'share of the rate limit reconciliation reads may use, 1-50 (default 10)', parseNumber)
    .option('--default-service <pdServiceId>', 'PagerDuty service for incidents created from the platform')
    .option('--priority-mapping <map>', 'PagerDuty priority → severity, e.g. P1=SEV-1,P2=SEV-2', parseKeyValueList)
    .option('--webhook-secret <secret>', 'add a webhook signing secret (several may be active while rotating)')
    .option('--create-webhook <public-url>', 'create the PagerDuty webhook subscription to <public-url>/api/v1/webhooks/<id> and store its secret')
    .addHelpText('after', `
Examples:
  im integration configure --name "Production PagerDuty" --slug prod-pd --type pagerduty --org acme-corp \\
    --base-url "https://api.pagerduty.com" --direction bidirectional --token "…"
  im integration configure prod-pd --conflict-strategy manual-review
  im integration configure prod-pd --rate-limit 100 --backoff-multiplier 2`)
    .action(
      ctx.action<ConfigureOptions>(async ({ api, out, args, opts, global }) => {
        const ref = args[0];
        const settings = settingsBody(opts);
        let integration: IntegrationView;
        if (ref) {
          // The type is fixed at creation; --slug with a different value renames.
          if (opts.type !== undefined) throw new CliError('--type can only be given when creating an integration');
          if (opts.slug !== undefined && opts.slug !== ref) settings.slug = opts.slug;
          integration = Object.keys(settings).length > 0
            ? await api.patch<IntegrationView>(integrationPath(ref), settings)
            : await api.get<IntegrationView>(integrationPath(ref));
        } else {
          const existing = opts.slug ? await findBySlug(api, opts.slug) : null;
          if (existing) {
            integration = await api.patch<IntegrationView>(integrationPath(existing.id), settings);
          } else {
            if (!opts.name) throw new CliError('--name is required to create an integration (or name an existing one: im integration configure <slug> …)');
            const body: Record<string, unknown> = { ...settings, integration_type: opts.type ?? 'pagerduty' };
            // Also in the body: with an organization key the API refuses (400) an --org that is not the key's.
            if (global.org) body.organization_id = global.org;
            if (opts.slug) body.slug = opts.slug;
            integration = await api.post<IntegrationView>('/api/v1/integrations', body);
          }
        }
        if (opts.webhookSecret !== undefined) {
          await api.post(integrationPath(integration.id, '/webhook-secrets'), { secret: opts.webhookSecret });
        }
        if (opts.createWebhook !== undefined) {
          const sub = await api.post<WebhookSubscriptionView>(integrationPath(integration.id, '/webhook-subscription'), { public_url: opts.createWebhook });
          if (out.format === 'table') out.line(`created PagerDuty webhook subscription ${sub.id} → ${sub.url}`);
        }
        if (opts.webhookSecret !== undefined || opts.createWebhook !== undefined) {
          integration = await api.get<IntegrationView>(integrationPath(integration.id));
        }
        printIntegration(out, integration);
      }),
    );
}

function registerBasics(integration: Command, ctx: CliContext): void {
  integration
    .command('list')
    .description('list the organization\'s integrations')
    .option('--type <type>', 'only integrations of this type')
    .action(
      ctx.action<{ type?: string }>(async ({ api, out, opts }) => {
        const result = await api.get<{ data: IntegrationView[] }>('/api/v1/integrations', { integration_type: opts.type });
        out.list(result.data, [
          { header: 'SLUG', value: (i) => i.slug },
          { header: 'NAME', value: (i) => i.name },
          { header: 'TYPE', value: (i) => i.integration_type },
          { header: 'DIRECTION', value: (i) => i.sync_direction },
          { header: 'ENABLED', value: (i) => i.enabled },
          { header: 'STRATEGY', value: (i) => i.conflict_strategy },
          { header: 'ID', value: (i) => i.id },
        ], result);
      }),
    );

  integration
    .command('get')
    .description('show one integration (secrets only as "set" and their last four characters)')
    .argument('<integration>', 'id or slug')
    .action(
      ctx.action(async ({ api, out, args }) => {
        printIntegration(out, await api.get<IntegrationView>(integrationPath(args[0] ?? '')));
      }),
    );

  integration
    .command('delete')
    .description('delete an integration and its rules and mappings')
    .argument('<integration>', 'id or slug')
    .action(
      ctx.action(async ({ api, out, args }) => {
        const ref = args[0] ?? '';
        await api.delete(integrationPath(ref));
        out.message(`deleted integration ${ref}`, { deleted: true, integration: ref });
      }),
    );

  integration
    .command('test')
    .description('check the live PagerDuty connection: token, base URL, from_email user, abilities, webhook subscription')
    .argument('<integration>', 'id or slug')
    .action(
      ctx.action(async ({ api, out, args }) => {
        const result = await api.post<ConnectionTestView>(integrationPath(args[0] ?? '', '/test'));
        out.list(result.checks, [
          { header: 'CHECK', value: (c) => c.name },
          { header: 'RESULT', value: (c) => (!c.ok ? 'FAILED' : c.warning ? 'warning' : 'ok') },
          { header: 'LATENCY', value: (c) => (c.latency_ms === null ? '-' : `${c.latency_ms} ms`) },
          { header: 'DETAIL', value: (c) => c.detail },
        ], result);
        const failed = result.checks.filter((c) => !c.ok);
        if (!result.ok) throw new CliError(`${failed.length} of ${result.checks.length} checks failed: ${failed.map((c) => c.name).join(', ')}`);
      }),
    );
}

function registerFieldOwnership(integration: Command, ctx: CliContext): void {
  const group = integration.command('field-ownership').description('which side owns each synced field (higher priority wins conflicts)');
  const columns = [
    { header: 'FIELD', value: (r: FieldOwnershipView) => r.field },
    { header: 'OWNER', value: (r: FieldOwnershipView) => r.owner },
    { header: 'PRIORITY', value: (r: FieldOwnershipView) => r.priority },
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
    .description('set the owner and priority of one field')
    .argument('<integration>', 'id or slug')
    .argument('<field>', 'title | description | severity | status | assigned_to | escalation_policy')
    .addOption(new Option('--owner <owner>', 'the side whose value wins').choices(['platform', 'external']).makeOptionMandatory())
    .option('--priority <n>', 'higher wins when several integrations claim a field (default 0)', parseNumber)
    .action(
      ctx.action<{ owner: string; priority?: number }>(async ({ api, out, args, opts }) => {
        const body: Record<string, unknown> = { owner: opts.owner };
        if (opts.priority !== undefined) body.priority = opts.priority;
        const rule = await api.put<FieldOwnershipView>(integrationPath(args[0] ?? '', `/field-ownership/${encodeURIComponent(args[1] ?? '')}`), body);
        out.list([rule], columns, rule);
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

function registerServiceMappings(integration: Command, ctx: CliContext): void {
  const group = integration.command('service-mapping').description('PagerDuty service ↔ platform incident type');
  const columns = [
    { header: 'PD SERVICE', value: (r: ServiceMappingView) => r.pd_service_id },
    { header: 'INCIDENT TYPE', value: (r: ServiceMappingView) => r.incident_type },
  ];
  group
    .command('add')
    .description('map a PagerDuty service to an incident type (replaces an existing mapping of that service)')
    .argument('<integration>', 'id or slug')
    .requiredOption('--pd-service <id>', 'PagerDuty service id, e.g. P123ABC')
    .requiredOption('--incident-type <type>', 'platform incident type, e.g. infrastructure')
    .action(
      ctx.action<{ pdService: string; incidentType: string }>(async ({ api, out, args, opts }) => {
        const mapping = await api.post<ServiceMappingView>(integrationPath(args[0] ?? '', '/service-mappings'), { pd_service_id: opts.pdService, incident_type: opts.incidentType });
        out.list([mapping], columns, mapping);
      }),
    );
  group
    .command('list')
    .description('list service mappings')
    .argument('<integration>', 'id or slug')
    .action(
      ctx.action(async ({ api, out, args }) => {
        const result = await api.get<{ data: ServiceMappingView[] }>(integrationPath(args[0] ?? '', '/service-mappings'));
        out.list(result.data, columns, result);
      }),
    );
  group
    .command('remove')
    .description('remove the mapping of a PagerDuty service')
    .argument('<integration>', 'id or slug')
    .argument('[pd-service]', 'PagerDuty service id (or --pd-service)')
    .option('--pd-service <id>', 'PagerDuty service id')
    .action(
      ctx.action<{ pdService?: string }>(async ({ api, out, args, opts }) => {
        const service = args[1] ?? opts.pdService;
        if (!service) throw new CliError('name the PagerDuty service: im integration service-mapping remove <integration> <pd-service>');
        await api.delete(integrationPath(args[0] ?? '', `/service-mappings/${encodeURIComponent(service)}`));
        out.message(`removed the mapping of PagerDuty service ${service}`, { deleted: true, pd_service_id: service });
      }),
    );
}

function registerUserMappings(integration: Command, ctx: CliContext): void {
  const group = integration
    .command('user-mapping')
    .description('explicit platform user ↔ PagerDuty user overrides (others match by email)');
  const columns = [
    { header: 'EMAIL', value: (r: UserMappingView) => r.email },
    { header: 'PD USER', value: (r: UserMappingView) => r.pd_user_id },
  ];
  group
    .command('add')
    .description('map a platform user (email) to a PagerDuty user id')
    .argument('<integration>', 'id or slug')
    .requiredOption('--email <email>', 'platform user email')
    .requiredOption('--pd-user <id>', 'PagerDuty user id, e.g. PXPGF42')
    .action(
      ctx.action<{ email: string; pdUser: string }>(async ({ api, out, args, opts }) => {
        const mapping = await api.post<UserMappingView>(integrationPath(args[0] ?? '', '/user-mappings'), { email: opts.email, pd_user_id: opts.pdUser });
        out.list([mapping], columns, mapping);
      }),
    );
  group
    .command('list')
    .description('list user mapping overrides')
    .argument('<integration>', 'id or slug')
    .action(
      ctx.action(async ({ api, out, args }) => {
        const result = await api.get<{ data: UserMappingView[] }>(integrationPath(args[0] ?? '', '/user-mappings'));
        out.list(result.data, columns, result);
      }),
    );
  group
    .command('remove')
    .description('remove the override of a platform user (back to matching by email)')
    .argument('<integration>', 'id or slug')
    .argument('[email]', 'platform user email (or --email)')
    .option('--email <email>', 'platform user email')
    .action(
      ctx.action<{ email?: string }>(async ({ api, out, args, opts }) => {
        const email = args[1] ?? opts.email;
        if (!email) throw new CliError('name the user: im integration user-mapping remove <integration> <email>');
        await api.delete(integrationPath(args[0] ?? '', `/user-mappings/${encodeURIComponent(email)}`));
        out.message(`removed the user mapping of ${email}`, { deleted: true, email });
      }),
    );
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

/** `im integration …` (integration-config). Other groups add their own subcommands via integrationGroup(). */
export function registerIntegrationCommands(program: Command, ctx: CliContext): void {
  const integration = integrationGroup(program);
  registerConfigure(integration, ctx);
  registerBasics(integration, ctx);
  registerFieldOwnership(integration, ctx);
  registerServiceMappings(integration, ctx);
  registerUserMappings(integration, ctx);
  registerWebhookSecrets(integration, ctx);
}

import { Command, Option } from 'commander';
import { CliContext } from '../cli-context';
import { CliError } from '../cli-error';
import { ApiHttp } from '../api-http';
import { Output } from '../output';
import { parseBoolean, parseKeyValueList, parseNumber } from '../option-parsers';
import { integrationGroup } from './command-groups';
import { printGuidance, registerIntegrationTest } from './integration-guidance';
import { registerIntegrationRules } from './integration-rules.command';
import { integrationPath, IntegrationView, WebhookSubscriptionView } from './integration.types';

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
  /** true: subscribe the server's PUBLIC_BASE_URL; a string: that public URL. */
  createWebhook?: string | true;
  unmappedServices?: string;
  defaultIncidentType?: string;
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
  if (o.unmappedServices !== undefined) body.unmapped_services = o.unmappedServices;
  if (o.defaultIncidentType !== undefined) body.default_incident_type = o.defaultIncidentType === '' ? null : o.defaultIncidentType;
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
      unmapped_services: i.unmapped_services,
      default_incident_type: i.default_incident_type ?? '(unset)',
      token: secretText(i.credentials?.token),
      webhook_secrets: i.webhook_secrets?.length ? i.webhook_secrets.map((w) => `${w.id} (…${w.last4})`).join(', ') : 'none',
      webhook_subscription: i.webhook_subscription_id,
      webhook_url: i.webhook_url,
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
    .option('--create-webhook [public-url]', "create the PagerDuty webhook subscription to <public-url>/api/v1/webhooks/<id> and store its secret (default public URL: the server's PUBLIC_BASE_URL)")
    .addOption(new Option('--unmapped-services <action>', 'an incident.triggered from a PagerDuty service with no service mapping: create a platform incident (default) or ignore it').choices(['create', 'ignore']))
    .option('--default-incident-type <type>', 'incident type of platform incidents created from unmapped services ("" = unset, the default)')
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
          const body = opts.createWebhook === true ? {} : { public_url: opts.createWebhook };
          const sub = await api.post<WebhookSubscriptionView>(integrationPath(integration.id, '/webhook-subscription'), body);
          if (out.format === 'table') out.line(`created PagerDuty webhook subscription ${sub.id} → ${sub.url}`);
        }
        if (opts.webhookSecret !== undefined || opts.createWebhook !== undefined) {
          integration = await api.get<IntegrationView>(integrationPath(integration.id));
        }
        printIntegration(out, integration);
        printGuidance(out, integration, ref);
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
}

/** `im integration …` (integration-config). Other groups add their own subcommands via integrationGroup(). */
export function registerIntegrationCommands(program: Command, ctx: CliContext): void {
  const integration = integrationGroup(program);
  registerConfigure(integration, ctx);
  registerBasics(integration, ctx);
  registerIntegrationTest(integration, ctx);
  registerIntegrationRules(integration, ctx);
}

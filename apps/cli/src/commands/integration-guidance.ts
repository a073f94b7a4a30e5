import { Command } from 'commander';
import { ApiHttp } from '../api-http';
import { CliContext } from '../cli-context';
import { CliError } from '../cli-error';
import { Output } from '../output';
import { ConnectionCheckView, ConnectionTestView, IntegrationView, integrationPath, WebhookSelfTestView } from './integration.types';

const inbound = (direction: string): boolean => direction === 'inbound' || direction === 'bidirectional';

/**
 * After `configure` (table format): the slug to use from now on, the webhook URL to paste into
 * PagerDuty and each missing piece with its command. With `--format json` all of it is already
 * in the API's JSON (`slug`, `webhook_url`, `next_steps`), so nothing is printed here.
 */
export function printGuidance(out: Output, i: IntegrationView, ref: string | undefined): void {
  if (out.format === 'json') return;
  out.line('');
  if (ref === undefined || (ref !== i.slug && ref !== i.id)) out.line(`use the slug ${i.slug} in later commands, e.g. im integration test ${i.slug}`);
  if (i.webhook_url) out.line(`webhook URL for PagerDuty (Integrations → Generic Webhooks v3): ${i.webhook_url}`);
  const steps = i.next_steps ?? [];
  if (steps.length === 0) {
    out.line(`nothing is missing; check the live connection: im integration test ${i.slug}`);
    return;
  }
  out.line('next steps:');
  for (const step of steps) {
    out.line(`  - ${step.missing}: ${step.message}`);
    out.line(`      ${step.command}`);
  }
}

/** `POST /api/v1/webhooks/<ref>/test`: the webhook signature self-test (webhook-ingress). */
export function webhookSelfTest(api: ApiHttp, ref: string): Promise<WebhookSelfTestView> {
  return api.post<WebhookSelfTestView>(`/api/v1/webhooks/${encodeURIComponent(ref)}/test`);
}

const CHECK_COLUMNS = [
  { header: 'CHECK', value: (c: ConnectionCheckView) => c.name },
  { header: 'RESULT', value: (c: ConnectionCheckView) => (!c.ok ? 'FAILED' : c.warning ? 'warning' : 'ok') },
  { header: 'LATENCY', value: (c: ConnectionCheckView) => (c.latency_ms === null ? '-' : `${c.latency_ms} ms`) },
  { header: 'DETAIL', value: (c: ConnectionCheckView) => c.detail },
];

/**
 * `im integration test`: the live PagerDuty checks plus the webhook signature self-test, as
 * one table (self-test rows are named `webhook_self_test.<check>`). It fails (exit 1) when a
 * check fails; the self-test counts only when the integration syncs from PagerDuty.
 */
export function registerIntegrationTest(integration: Command, ctx: CliContext): void {
  integration
    .command('test')
    .description('check the live PagerDuty connection (token, base URL, From user, abilities, signing secret, webhook subscription) and run the webhook signature self-test')
    .argument('<integration>', 'id or slug')
    .action(
      ctx.action(async ({ api, out, args }) => {
        const ref = args[0] ?? '';
        const current = await api.get<IntegrationView>(integrationPath(ref));
        const connection = await api.post<ConnectionTestView>(integrationPath(current.id, '/test'));
        const selfTest = await webhookSelfTest(api, current.id);
        const needed = inbound(current.sync_direction);
        const selfChecks: ConnectionCheckView[] = selfTest.checks.map((c) => ({
          name: `webhook_self_test.${c.name}`,
          ok: c.passed || !needed,
          warning: !c.passed && !needed ? true : undefined,
          latency_ms: null,
          detail: !c.passed && !needed ? `${c.detail} (not needed: this integration does not sync from PagerDuty)` : c.detail,
        }));
        const checks = [...connection.checks, ...selfChecks];
        const ok = checks.every((c) => c.ok);
        out.list(checks, CHECK_COLUMNS, { ...connection, ok, webhook_self_test: selfTest });
        const failed = checks.filter((c) => !c.ok);
        if (!ok) throw new CliError(`${failed.length} of ${checks.length} checks failed: ${failed.map((c) => c.name).join(', ')}`);
      }),
    );

  integration
    .command('webhook-test')
    .description('webhook signature self-test: a sample signed with the stored secret must verify, a tampered or foreign-signed copy must be refused (POST /api/v1/webhooks/<id>/test)')
    .argument('<integration>', 'id or slug')
    .action(
      ctx.action(async ({ api, out, args }) => {
        const result = await webhookSelfTest(api, args[0] ?? '');
        out.list(result.checks, [
          { header: 'CHECK', value: (c) => c.name },
          { header: 'RESULT', value: (c) => (c.passed ? 'ok' : 'FAILED') },
          { header: 'DETAIL', value: (c) => c.detail },
        ], result);
        if (result.result !== 'pass') {
          const failed = result.checks.filter((c) => !c.passed).map((c) => c.name);
          throw new CliError(`webhook self-test failed: ${failed.join(', ')}`);
        }
      }),
    );
}

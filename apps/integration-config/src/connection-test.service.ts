import { Injectable } from '@nestjs/common';
import { PagerDutyApiError, PagerDutyClient, PdUser, PdWebhookSubscription } from '@incident-sync/pagerduty';
import { RequestContext } from '@incident-sync/service-runtime';
import { IntegrationEntity } from './entities/integration.entity';
import { IntegrationService } from './integration.service';
import { PagerDutyClientFactory } from './pagerduty-client.factory';

export interface ConnectionCheck {
  name: 'base_url' | 'token' | 'abilities' | 'from_email' | 'webhook_secret' | 'webhook_subscription';
  ok: boolean;
  /** Set on a passing check that still needs attention (e.g. from_email not set). */
  warning?: boolean;
  latency_ms: number | null;
  detail: string;
}

export interface ConnectionTestResult {
  ok: boolean;
  integration_id: string;
  checks: ConnectionCheck[];
}

const WEBHOOK_PATH = (integrationId: string): string => `/api/v1/webhooks/${integrationId}`;

async function timed<T>(call: () => Promise<T>): Promise<{ value?: T; error?: unknown; ms: number }> {
  const started = Date.now();
  try {
    const value = await call();
    return { value, ms: Date.now() - started };
  } catch (error) {
    return { error, ms: Date.now() - started };
  }
}

/** PagerDutyApiError messages carry method, path, status and PD's message — never the token. */
const reason = (error: unknown): string => (error instanceof Error ? error.message : String(error));
const statusOf = (error: unknown): number => (error instanceof PagerDutyApiError ? error.status : 0);

/**
 * `im integration test`: live checks against PagerDuty with the integration's own settings.
 * Each check reports its latency; a failed prerequisite (no answer, token rejected) marks
 * the checks that depend on it as failed "not run" rather than pretending they passed.
 * A configured direction that cannot work fails its check (naming the command that fixes it):
 * outbound without a usable From user, inbound without a signing secret or a subscription.
 */
@Injectable()
export class ConnectionTestService {
  constructor(private readonly integrations: IntegrationService, private readonly clients: PagerDutyClientFactory) {}

  async test(caller: RequestContext, ref: string): Promise<ConnectionTestResult> {
    const integration = await this.integrations.find(caller, ref);
    const client = this.clients.create(integration, this.integrations.decryptToken(integration));
    const checks: ConnectionCheck[] = [];

    const abilities = await timed(() => client.listAbilities());
    const status = abilities.error ? statusOf(abilities.error) : 200;
    const answered = status !== 0;
    checks.push({
      name: 'base_url',
      ok: answered,
      latency_ms: abilities.ms,
      detail: answered ? `${integration.baseUrl} answered (HTTP ${abilities.value ? abilities.value.status : status})` : `${integration.baseUrl} did not answer: ${reason(abilities.error)}`,
    });
    const tokenOk = answered && !abilities.error;
    checks.push({
      name: 'token',
      ok: tokenOk,
      latency_ms: answered ? abilities.ms : null,
      detail: !answered ? 'not run: the base URL did not answer'
        : tokenOk ? 'accepted'
          : status === 401 ? 'rejected by PagerDuty (401): check credentials.token' : `not accepted: ${reason(abilities.error)}`,
    });
    checks.push({
      name: 'abilities',
      ok: tokenOk,
      latency_ms: answered ? abilities.ms : null,
      detail: abilities.value ? `${abilities.value.data.abilities.length} abilities: ${abilities.value.data.abilities.join(', ') || '(none)'}` : 'not run: the token was not accepted',
    });
    if (!tokenOk) {
      checks.push({ name: 'from_email', ok: false, latency_ms: null, detail: 'not run: the token was not accepted' });
      checks.push(await this.checkWebhookSecret(integration));
      checks.push({ name: 'webhook_subscription', ok: false, latency_ms: null, detail: 'not run: the token was not accepted' });
      return { ok: false, integration_id: integration.id, checks };
    }

    checks.push(await this.checkFromEmail(caller, integration, client));
    checks.push(await this.checkWebhookSecret(integration));
    checks.push(await this.checkWebhookSubscription(integration, client));
    return { ok: checks.every((c) => c.ok), integration_id: integration.id, checks };
  }

  private async checkFromEmail(caller: RequestContext, integration: IntegrationEntity, client: PagerDutyClient): Promise<ConnectionCheck> {
    if (!integration.fromEmail) {
      // A user token acts as its user; an account token needs From for every write (FACTS §2.1).
      const me = await timed(() => client.getCurrentUser());
      if (me.value) {
        await this.rememberBotUser(caller, integration, me.value.data.user.id);
        return { name: 'from_email', ok: true, latency_ms: me.ms, detail: `not set; the token is a user token acting as ${me.value.data.user.email} (${me.value.data.user.id})` };
      }
      const writes = integration.syncDirection === 'outbound' || integration.syncDirection === 'bidirectional';
      return {
        name: 'from_email',
        ok: !writes,
        latency_ms: me.ms,
        detail: writes
          ? `not set: the token is an account-level token and PagerDuty rejects its writes without a From user, so every write would fail; fix: im integration configure ${integration.slug} --from-email <PagerDuty user email>`
          : 'not set (not needed: this integration does not write to PagerDuty)',
      };
    }
    const lookup = await timed(() => this.findUserByEmail(client, integration.fromEmail ?? ''));
    if (lookup.error) return { name: 'from_email', ok: false, latency_ms: lookup.ms, detail: `could not look up users: ${reason(lookup.error)}` };
    const user = lookup.value;
    if (!user) return { name: 'from_email', ok: false, latency_ms: lookup.ms, detail: `no PagerDuty user has the email ${integration.fromEmail}` };
    await this.rememberBotUser(caller, integration, user.id);
    return { name: 'from_email', ok: true, latency_ms: lookup.ms, detail: `${integration.fromEmail} is PagerDuty user ${user.id} (${user.name})` };
  }

  /** `query` matches names and, in practice, emails; fall back to paging through users. */
  private async findUserByEmail(client: PagerDutyClient, email: string): Promise<PdUser | undefined> {
    const wanted = email.toLowerCase();
    const byQuery = await client.listUsers({ query: email, limit: 100 });
    const hit = byQuery.data.users.find((u) => u.email.toLowerCase() === wanted);
    if (hit) return hit;
    for (let page = 0; page < 10; page += 1) {
      const list = await client.listUsers({ limit: 100, offset: page * 100 });
      const found = list.data.users.find((u) => u.email.toLowerCase() === wanted);
      if (found) return found;
      if (!list.data.more) break;
    }
    return undefined;
  }

  private async rememberBotUser(caller: RequestContext, integration: IntegrationEntity, pdUserId: string): Promise<void> {
    if (integration.botUserId === pdUserId) return;
    // The sync-engine drops webhooks whose agent is this user (our own writes echoing back).
    await this.integrations.mutate(caller, integration.id, async (_em, i) => {
      i.botUserId = pdUserId;
    });
  }

  /** Inbound needs a signing secret: without one every delivery is refused (401). */
  private async checkWebhookSecret(integration: IntegrationEntity): Promise<ConnectionCheck> {
    const inbound = integration.syncDirection === 'inbound' || integration.syncDirection === 'bidirectional';
    const count = await this.integrations.webhookSecretCount(integration.id);
    if (count > 0) return { name: 'webhook_secret', ok: true, latency_ms: null, detail: `${count} signing secret${count === 1 ? '' : 's'} stored` };
    return {
      name: 'webhook_secret',
      ok: !inbound,
      latency_ms: null,
      detail: inbound
        ? `none stored: every PagerDuty delivery is refused; fix: im integration configure ${integration.slug} --create-webhook (or im integration webhook-secret add ${integration.slug} --secret <secret>)`
        : 'none stored (not needed: this integration does not sync from PagerDuty)',
    };
  }

  private async checkWebhookSubscription(integration: IntegrationEntity, client: PagerDutyClient): Promise<ConnectionCheck> {
    const found = await timed(async () => {
      const all: PdWebhookSubscription[] = [];
      for (let page = 0; page < 10; page += 1) {
        const list = await client.listWebhookSubscriptions({ limit: 100, offset: page * 100 });
        all.push(...list.data.webhook_subscriptions);
        if (!list.data.more) break;
      }
      return all.filter((s) => s.id === integration.webhookSubscriptionId || s.delivery_method.url.replace(/\/+$/, '').endsWith(WEBHOOK_PATH(integration.id)));
    });
    if (found.error) return { name: 'webhook_subscription', ok: false, latency_ms: found.ms, detail: `could not list webhook subscriptions: ${reason(found.error)}` };
    const subs = found.value ?? [];
    const inbound = integration.syncDirection === 'inbound' || integration.syncDirection === 'bidirectional';
    if (subs.length === 0) {
      if (integration.webhookSubscriptionId) {
        return { name: 'webhook_subscription', ok: false, latency_ms: found.ms, detail: `subscription ${integration.webhookSubscriptionId} no longer exists in PagerDuty` };
      }
      return {
        name: 'webhook_subscription',
        ok: !inbound,
        latency_ms: found.ms,
        detail: `none points at ${WEBHOOK_PATH(integration.id)}${inbound ? `; inbound sync needs one, fix: im integration configure ${integration.slug} --create-webhook` : ''}`,
      };
    }
    const broken = subs.filter((s) => !s.active || s.delivery_method.temporarily_disabled);
    const describe = (s: PdWebhookSubscription): string =>
      `${s.id} → ${s.delivery_method.url} (${!s.active ? 'inactive' : s.delivery_method.temporarily_disabled ? 'temporarily disabled by PagerDuty after failed deliveries; re-enable it' : 'active'})`;
    return { name: 'webhook_subscription', ok: broken.length === 0, latency_ms: found.ms, detail: subs.map(describe).join('; ') };
  }
}

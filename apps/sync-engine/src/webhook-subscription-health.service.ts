import { Injectable, Logger } from '@nestjs/common';
import type { IntegrationRuntimeConfig } from '@incident-sync/integration-config-client';
import type { PagerDutyClient } from '@incident-sync/pagerduty';
import { checkSubscription, subscriptionView, type PdSubscription, type SubscriptionCheck, type WebhookSubscriptionView } from './webhook-health';

/** A paced read of the pass (PacedReads.run's shape). */
type PacedRead = <T>(what: string, call: (client: PagerDutyClient) => Promise<unknown>) => Promise<T>;

const PAGE = 100;
/** Classic pagination stops at 10,000 (FACTS §2.6); an account has far fewer subscriptions (10 per scope). */
const MAX_OFFSET = 10000;

/**
 * Issue #14: PagerDuty disables a subscription whose deliveries keep failing (3 drops → 24 h,
 * `delivery_method.temporarily_disabled`, FACTS §1.5) and then sends nothing. Each reconcile pass
 * lists the account's subscriptions (`GET /webhook_subscriptions`), finds the ones delivering
 * to this integration by their URL, and turns a disabled one back on: `POST
 * /webhook_subscriptions/{id}/enable` for PagerDuty's temporary disable, `PUT
 * /webhook_subscriptions/{id}` with `active: true` for one a person switched off (FACTS §1.6).
 * A missing one cannot be recreated here (its signing secret is shown once, at creation): the
 * result names the command that does it. A dry run only reports.
 */
@Injectable()
export class WebhookSubscriptionHealth {
  private readonly logger = new Logger(WebhookSubscriptionHealth.name);

  async check(config: IntegrationRuntimeConfig, read: PacedRead, dryRun: boolean): Promise<WebhookSubscriptionView> {
    const at = new Date();
    let check: SubscriptionCheck;
    try {
      const subs: PdSubscription[] = [];
      for (let offset = 0; offset < MAX_OFFSET; offset += PAGE) {
        const { data } = await read<{ data: { webhook_subscriptions: PdSubscription[]; more?: boolean } }>('GET /webhook_subscriptions', (client) =>
          client.request('GET', '/webhook_subscriptions', { query: { limit: PAGE, offset } }));
        subs.push(...data.webhook_subscriptions);
        if (data.more !== true) break;
      }
      check = checkSubscription(subs, config.id);
    } catch (error) {
      return subscriptionView(null, config.slug, at, { action: 'none', error: describe(error) });
    }
    if (check.repair === null || check.subscription_id === null || dryRun) return subscriptionView(check, config.slug, at, { action: 'none' });
    const id = encodeURIComponent(check.subscription_id);
    try {
      if (check.repair === 'enable') {
        // Documented body-less; sent with an empty JSON object, since a POST without a JSON body is refused (415).
        await read('POST /webhook_subscriptions/{id}/enable', (client) => client.request('POST', `/webhook_subscriptions/${id}/enable`, { body: {} }));
      } else {
        await read('PUT /webhook_subscriptions/{id}', (client) => client.request('PUT', `/webhook_subscriptions/${id}`, { body: { webhook_subscription: { active: true } } }));
      }
      this.logger.warn({ msg: 'webhook subscription was disabled; re-enabled it', integrationId: config.id, subscriptionId: check.subscription_id, state: check.state });
      return subscriptionView(check, config.slug, at, { action: 're-enabled' });
    } catch (error) {
      this.logger.warn({ msg: 'webhook subscription is disabled and re-enabling it failed', integrationId: config.id, subscriptionId: check.subscription_id, err: error });
      return subscriptionView(check, config.slug, at, { action: 'failed', error: describe(error) });
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The PagerDuty webhook subscription of one integration, as a reconcile pass finds it (issue #14). Pure. */

/** What GET /webhook_subscriptions answers per subscription (FACTS §1.6), the fields we read. */
export interface PdSubscription {
  id: string;
  active?: boolean;
  delivery_method?: { url?: string | null; temporarily_disabled?: boolean | null };
}

export type SubscriptionState = 'ok' | 'missing' | 'inactive' | 'temporarily-disabled';

export interface SubscriptionCheck {
  state: SubscriptionState;
  subscription_id: string | null;
  /** How to re-enable it through the REST API, when it can be (FACTS §1.5, §1.6). */
  repair: 'enable' | 'activate' | null;
}

/** The subscriptions delivering to this integration: their URL ends in `/api/v1/webhooks/<integration id>`. */
export function subscriptionsOf(subs: readonly PdSubscription[], integrationId: string): PdSubscription[] {
  const suffix = `/api/v1/webhooks/${integrationId}`;
  return subs.filter((s) => typeof s.delivery_method?.url === 'string' && s.delivery_method.url.replace(/\/+$/, '').endsWith(suffix));
}

/**
 * The integration's subscription state: missing (none delivers here), temporarily disabled
 * (PagerDuty disabled it after repeated drops: `POST /webhook_subscriptions/{id}/enable`),
 * inactive (`active: false`, turned off by a person: `PUT … {active: true}`), or ok. With
 * several, one healthy subscription is enough.
 */
export function checkSubscription(subs: readonly PdSubscription[], integrationId: string): SubscriptionCheck {
  const mine = subscriptionsOf(subs, integrationId);
  const first = mine[0];
  if (first === undefined) return { state: 'missing', subscription_id: null, repair: null };
  const healthy = mine.find((s) => s.active !== false && s.delivery_method?.temporarily_disabled !== true);
  if (healthy) return { state: 'ok', subscription_id: healthy.id, repair: null };
  const disabled = mine.find((s) => s.delivery_method?.temporarily_disabled === true) ?? first;
  if (disabled.delivery_method?.temporarily_disabled === true) return { state: 'temporarily-disabled', subscription_id: disabled.id, repair: 'enable' };
  return { state: 'inactive', subscription_id: disabled.id, repair: 'activate' };
}

/** sync-status `webhook_subscription`: what was found, what the pass did, and the command that fixes what is left. */
export interface WebhookSubscriptionView {
  checked_at: string;
  state: SubscriptionState | 'unknown';
  subscription_id: string | null;
  /** re-enabled: this pass turned it back on; failed: it tried and PagerDuty refused; none. */
  action: 're-enabled' | 'failed' | 'none';
  detail: string;
  /** The command to run when it is not healthy after the pass; null when nothing is to do. */
  fix: string | null;
}

export function subscriptionView(check: SubscriptionCheck | null, slug: string, at: Date, outcome: { action: WebhookSubscriptionView['action']; error?: string }): WebhookSubscriptionView {
  const checked_at = at.toISOString();
  const create = `im integration configure ${slug} --create-webhook <public url of the gateway>`;
  if (check === null) {
    return { checked_at, state: 'unknown', subscription_id: null, action: 'none', detail: `could not list webhook subscriptions: ${outcome.error ?? 'unknown error'}`, fix: `im integration test ${slug}` };
  }
  const id = check.subscription_id;
  switch (check.state) {
    case 'ok':
      return { checked_at, state: 'ok', subscription_id: id, action: 'none', detail: `subscription ${id} is active and delivering`, fix: null };
    case 'missing':
      return { checked_at, state: 'missing', subscription_id: null, action: 'none', detail: 'no PagerDuty webhook subscription delivers to this integration: changes arrive only by reconciliation', fix: create };
    case 'inactive':
    case 'temporarily-disabled': {
      const was = check.state === 'inactive' ? 'inactive (active: false)' : 'temporarily disabled by PagerDuty after repeated failed deliveries';
      if (outcome.action === 're-enabled') return { checked_at, state: check.state, subscription_id: id, action: 're-enabled', detail: `subscription ${id} was ${was}; this pass re-enabled it`, fix: null };
      return {
        checked_at, state: check.state, subscription_id: id, action: outcome.action,
        detail: `subscription ${id} is ${was}${outcome.error ? `; re-enabling failed: ${outcome.error}` : ''}`,
        fix: `im integration reconcile ${slug} (re-enables it), or in PagerDuty: Integrations → Generic Webhooks (v3) → enable ${id}`,
      };
    }
  }
}

import { checkSubscription, subscriptionView } from './webhook-health';

const URL = 'http://127.0.0.1:8080/api/v1/webhooks/int-1';
const sub = (id: string, over: { url?: string; active?: boolean; temporarily_disabled?: boolean } = {}) =>
  ({ id, active: over.active ?? true, delivery_method: { url: over.url ?? URL, temporarily_disabled: over.temporarily_disabled ?? false } });

describe('webhook subscription health (issue #14)', () => {
  it('given no subscription delivering to the integration, then it is missing and the fix creates one', () => {
    const check = checkSubscription([sub('P1', { url: 'http://x/api/v1/webhooks/int-2' })], 'int-1');
    expect(check).toEqual({ state: 'missing', subscription_id: null, repair: null });
    expect(subscriptionView(check, 'prod-pd', new Date(0), { action: 'none' }).fix).toBe('im integration configure prod-pd --create-webhook <public url of the gateway>');
  });

  it('given a subscription PagerDuty disabled after drops, then it is re-enabled with POST …/enable', () => {
    expect(checkSubscription([sub('P1', { temporarily_disabled: true })], 'int-1')).toEqual({ state: 'temporarily-disabled', subscription_id: 'P1', repair: 'enable' });
  });

  it('given a subscription turned off (active false), then it is activated with PUT active true', () => {
    expect(checkSubscription([sub('P1', { active: false, url: `${URL}/` })], 'int-1')).toEqual({ state: 'inactive', subscription_id: 'P1', repair: 'activate' });
  });

  it('given one healthy subscription among several, then it is ok', () => {
    expect(checkSubscription([sub('P1', { active: false }), sub('P2')], 'int-1')).toMatchObject({ state: 'ok', subscription_id: 'P2' });
  });

  it('says what the pass did, and the command when it is still off', () => {
    const check = checkSubscription([sub('P1', { temporarily_disabled: true })], 'int-1');
    expect(subscriptionView(check, 'prod-pd', new Date(0), { action: 're-enabled' })).toMatchObject({ action: 're-enabled', fix: null });
    const failed = subscriptionView(check, 'prod-pd', new Date(0), { action: 'failed', error: '403 Forbidden' });
    expect(failed.detail).toContain('403 Forbidden');
    expect(failed.fix).toContain('im integration reconcile prod-pd');
  });
});

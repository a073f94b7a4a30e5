import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { createSyncFixture, disposeFixture, linkOf, simApi, simControl, SyncFixture, testStack, triggerInPagerDuty, waitFor } from './support/sync-e2e.fixture';

/**
 * Issue #14 end to end (real stack + simulator): a reconcile pass notices the integration's
 * PagerDuty webhook subscription disabled (by PagerDuty after failed deliveries, or switched off
 * by a person), re-enables it, and sync-status says so; a missing one is reported with the
 * command that creates it. A dry run only reports.
 */
describe('sync-engine drift: webhook subscription health (e2e)', () => {
  const SERVICE = 'PSVC003';
  let fx: SyncFixture;
  const reconcile = (body: Record<string, unknown> = {}) => fx.api.post(`/api/v1/integrations/${fx.slug}/reconcile`, body);
  const subscription = async (): Promise<Record<string, any>> => (await simApi.get(`/webhook_subscriptions/${fx.subscriptionId}`)).body.webhook_subscription;
  const syncStatus = async (): Promise<Record<string, any>> => (await fx.api.get(`/api/v1/integrations/${fx.slug}/sync-status`)).body;

  beforeAll(async () => {
    fx = await createSyncFixture({ serviceMappings: [[SERVICE, 'payments']], subscriptionServiceId: SERVICE });
  });

  afterAll(async () => {
    await disposeFixture(fx);
  });

  it('a subscription PagerDuty disabled is re-enabled by the next pass (POST …/enable), and sync-status says so', async () => {
    expect((await simControl.post(`/sim/webhook_subscriptions/${fx.subscriptionId}/disable`)).status).toBe(200);
    expect((await subscription()).delivery_method.temporarily_disabled).toBe(true);

    const dry = await reconcile({ dry_run: true });
    expect(dry.status).toBe(200);
    expect(dry.body.webhook_subscription).toMatchObject({ state: 'temporarily-disabled', subscription_id: fx.subscriptionId, action: 'none' });
    expect(dry.body.webhook_subscription.fix).toContain(`im integration reconcile ${fx.slug}`);
    expect((await subscription()).delivery_method.temporarily_disabled).toBe(true);

    const pass = await reconcile();
    expect(pass.status).toBe(200);
    expect(pass.body.webhook_subscription).toMatchObject({ state: 'temporarily-disabled', action: 're-enabled', fix: null });
    expect((await subscription()).delivery_method.temporarily_disabled).toBe(false);
    expect((await syncStatus()).webhook_subscription).toMatchObject({ state: 'temporarily-disabled', action: 're-enabled', subscription_id: fx.subscriptionId });

    // Deliveries flow again: a new PagerDuty incident is linked by its webhook.
    const triggered = await triggerInPagerDuty({ as: 'carol@example.com', service_id: SERVICE });
    await waitFor(async () => (await linkOf(fx, triggered.id)) ?? false, { what: 'the link from the delivered webhook', timeoutMs: 30000, intervalMs: 250 });

    const im = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(join(__dirname, '..', '..', '..', 'bin', 'im'), ['integration', 'sync-status', fx.slug], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', IM_API_URL: testStack.gatewayUrl, IM_API_KEY: fx.apiKey }, timeout: 60000 },
        (error, stdout) => resolve({ code: error ? 1 : 0, stdout: String(stdout) }));
    });
    expect(im.code).toBe(0);
    expect(im.stdout).toMatch(/webhook_subscription:\s+temporarily-disabled, re-enabled: subscription \S+ was temporarily disabled/);
  }, 120000);

  it('a subscription switched off (active false) is activated again (PUT active true)', async () => {
    expect((await simApi.put(`/webhook_subscriptions/${fx.subscriptionId}`, { webhook_subscription: { active: false } })).status).toBe(200);
    const pass = await reconcile();
    expect(pass.body.webhook_subscription).toMatchObject({ state: 'inactive', action: 're-enabled' });
    expect((await subscription()).active).toBe(true);
    expect((await reconcile()).body.webhook_subscription).toMatchObject({ state: 'ok', action: 'none', fix: null });
  }, 120000);

  it('a missing subscription is reported with the command that creates it', async () => {
    expect((await simApi.delete(`/webhook_subscriptions/${fx.subscriptionId}`)).status).toBe(204);
    fx.subscriptionId = null;
    await reconcile();
    const status = (await syncStatus()).webhook_subscription;
    expect(status).toMatchObject({ state: 'missing', subscription_id: null, action: 'none' });
    expect(status.fix).toBe(`im integration configure ${fx.slug} --create-webhook <public url of the gateway>`);
  }, 120000);
});

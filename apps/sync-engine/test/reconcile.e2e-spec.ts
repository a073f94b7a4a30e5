import { randomUUID } from 'node:crypto';
import { signWebhookBody } from '@incident-sync/pagerduty';
import {
  ApiClient, createSyncFixture, disposeFixture, linkOf, platformIncident, responder, simControl, SyncFixture, testStack, triggerInPagerDuty, waitFor,
} from './support/sync-e2e.fixture';

/**
 * Issue #14 end to end (real stack + simulator): a paused integration keeps PagerDuty's
 * deliveries and applies them when enabled again; every event type is answered 2xx.
 */
describe('sync-engine drift: paused deliveries (e2e)', () => {
  const SERVICE = 'PSVC003';
  let fx: SyncFixture;
  const until = <T>(what: string, probe: () => Promise<T | false | undefined>, timeoutMs = 30000): Promise<T> => waitFor(probe, { what, timeoutMs, intervalMs: 250 });

  beforeAll(async () => {
    fx = await createSyncFixture({ serviceMappings: [[SERVICE, 'payments']], subscriptionServiceId: SERVICE });
  });

  afterAll(async () => {
    await disposeFixture(fx);
  });

  const deliveriesTo = async (pdId: string, eventType: string): Promise<{ status: number | null; outcome: string }[]> =>
    ((await simControl.get('/sim/deliveries?since=0')).body.deliveries as { incident_id: string; url: string; event_type: string; status: number | null; outcome: string }[])
      .filter((d) => d.incident_id === pdId && d.url.includes(fx.integrationId) && d.event_type === eventType);

  it('a paused integration answers 2xx to a delivery, keeps it, and applies it once enabled again', async () => {
    const triggered = await triggerInPagerDuty({ as: 'carol@example.com', service_id: SERVICE, urgency: 'high' });
    const link = await until('the link', async () => (await linkOf(fx, triggered.id)) ?? false);
    const incidentId: string = link.platform_incident_id;
    await until('the platform incident', async () => (await fx.api.get(`/api/v1/incidents/${incidentId}`)).status === 200);

    expect((await fx.api.patch(`/api/v1/integrations/${fx.slug}`, { enabled: false })).status).toBe(200);
    await responder(triggered.id, 'acknowledge', { as: 'carol@example.com' });
    const answered = await until('the acknowledge delivery', async () => {
      const list = await deliveriesTo(triggered.id, 'incident.acknowledged');
      return list.length > 0 && list;
    });
    expect(answered.every((d) => d.status !== null && d.status >= 200 && d.status < 300)).toBe(true);
    // While paused, nothing is applied.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect((await platformIncident(fx.api, incidentId)).status).toBe('open');
    const status = await fx.api.get(`/api/v1/integrations/${fx.slug}/sync-status`);
    expect(status.body.parked_messages).toBeGreaterThanOrEqual(1);

    expect((await fx.api.patch(`/api/v1/integrations/${fx.slug}`, { enabled: true })).status).toBe(200);
    await until('status mitigated after resume', async () => (await platformIncident(fx.api, incidentId)).status === 'mitigated', 45000);
  });

  it('every event type PagerDuty may send, including ones we ignore, is answered 2xx (paused or not)', async () => {
    const secret = `whsec-${randomUUID()}`;
    expect((await fx.api.post(`/api/v1/integrations/${fx.integrationId}/webhook-secrets`, { secret })).status).toBeLessThan(300);
    const anonymous = new ApiClient(testStack.gatewayUrl);
    const types: [string, Record<string, unknown>][] = [
      ['incident.conference_bridge.updated', { id: 'PIGNORED1', type: 'incident', title: 'x', status: 'triggered' }],
      ['incident.status_update_published', { id: 'SU1', type: 'status_update', incident: { id: 'PIGNORED1', type: 'incident_reference' }, message: 'm' }],
      ['incident.responder.added', { incident: { id: 'PIGNORED1', type: 'incident_reference' }, user: { id: 'PUSR001' } }],
      ['incident.workflow.started', { id: 'W1', type: 'incident_workflow_instance', incident: { id: 'PIGNORED1', type: 'incident_reference' } }],
      ['service.updated', { id: SERVICE, type: 'service' }],
      ['incident.custom_field_values.updated', { id: 'PIGNORED1', type: 'incident_field_values', incident: { id: 'PIGNORED1' } }],
      ['some_future.thing', { id: 'X1', type: 'future' }],
    ];
    for (const enabled of [true, false]) {
      expect((await fx.api.patch(`/api/v1/integrations/${fx.slug}`, { enabled })).status).toBe(200);
      for (const [eventType, data] of types) {
        const body = JSON.stringify({ event: { id: `01${randomUUID().replace(/-/g, '').slice(0, 24).toUpperCase()}`, event_type: eventType, resource_type: eventType.split('.')[0], occurred_at: new Date().toISOString(), agent: null, client: null, data } });
        const sent = () => anonymous.request<{ status?: string }>('POST', `/api/v1/webhooks/${fx.integrationId}`, body, {
          'content-type': 'application/json', 'user-agent': 'PagerDuty-Webhook/V3.0', 'x-pagerduty-signature': signWebhookBody(secret, body), 'x-webhook-id': randomUUID(),
        });
        // The new secret reaches ingress through the config-changed event (or its cache TTL).
        const answer = await until(`${eventType} accepted`, async () => { const r = await sent(); return r.status !== 401 && r; }, 15000);
        expect([eventType, answer.status]).toEqual([eventType, 202]);
      }
    }
    expect((await fx.api.patch(`/api/v1/integrations/${fx.slug}`, { enabled: true })).status).toBe(200);
  });
});

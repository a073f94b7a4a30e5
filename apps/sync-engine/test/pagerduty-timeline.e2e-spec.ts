import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signWebhookBody } from '@incident-sync/pagerduty';
import { ApiClient } from '@incident-sync/testing';
import { createSyncFixture, disposeFixture, linkOf, SyncFixture, testStack, timeline, waitFor } from './support/sync-e2e.fixture';

/**
 * Issue #18 item 4 (inbound): status updates, responder requests and replies, and conference
 * bridge changes made in PagerDuty reach the platform incident's timeline. The simulator does
 * not model these resources yet, so real captured envelopes (libs/pagerduty/fixtures, see its
 * manifest) are pointed at a linked incident, signed with the integration's secret and
 * delivered through the gateway as PagerDuty would: the whole path after the webhook is real.
 */
/** A captured envelope from libs/pagerduty/fixtures/webhooks/zulip-fixtures. */
const captured = (name: string): { event: Record<string, any> } =>
  JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'libs', 'pagerduty', 'fixtures', 'webhooks', 'zulip-fixtures', `${name}.json`), 'utf8'));

describe('PagerDuty status updates, responders and conference bridge on the platform timeline (e2e)', () => {
  let fx: SyncFixture;
  const until = <T>(what: string, probe: () => Promise<T | false | undefined>, timeoutMs = 60000): Promise<T> => waitFor(probe, { what, timeoutMs, intervalMs: 250 });

  beforeAll(async () => {
    fx = await createSyncFixture({ serviceMappings: [['PSVC003', 'infrastructure']], subscriptionServiceId: 'PSVC003' });
  });

  afterAll(async () => {
    await disposeFixture(fx);
  });

  it('each lands once as a timeline entry of its kind, even when PagerDuty delivers it twice', async () => {
    const created = await fx.api.post('/api/v1/incidents', { title: `timeline ${randomUUID().slice(0, 6)}`, severity: 'SEV-2', incident_type: 'infrastructure' });
    expect(created.status).toBe(201);
    const id: string = created.body.id;
    const link = await until('the link', async () => { const l = await linkOf(fx, id); return l?.pd_incident_id ? l : false; });
    const secret = `whsec-${randomUUID()}`;
    expect((await fx.api.post(`/api/v1/integrations/${fx.integrationId}/webhook-secrets`, { secret })).status).toBeLessThan(300);
    const anonymous = new ApiClient(testStack.gatewayUrl);
    const deliver = async (fixture: { event: Record<string, any> }): Promise<void> => {
      const event: Record<string, any> = { ...fixture.event, id: `01${randomUUID().replace(/-/g, '').slice(0, 24).toUpperCase()}`, occurred_at: new Date().toISOString(), data: { ...fixture.event.data, incident: { ...fixture.event.data.incident, id: link.pd_incident_id } } };
      const body = JSON.stringify({ event });
      const send = () => anonymous.request('POST', `/api/v1/webhooks/${fx.integrationId}`, body, {
        'content-type': 'application/json', 'user-agent': 'PagerDuty-Webhook/V3.0', 'x-pagerduty-signature': signWebhookBody(secret, body), 'x-webhook-id': randomUUID(),
      });
      // The new secret reaches ingress through the config-changed event; then a redelivery of the same event.
      await until(`${event.event_type} accepted`, async () => (await send()).status === 202, 15000);
      expect((await send()).status).toBe(202);
    };
    for (const name of ['status_updated_v3', 'responder_added', 'responder_replied_v3', 'conference_bridge_updated_v3']) await deliver(captured(name));

    const entries = await until('four PagerDuty entries on the timeline', async () => {
      const all = (await timeline(fx.api, id)).filter((e) => ['status_update', 'responder', 'conference_bridge'].includes(e.kind));
      return all.length >= 4 && all;
    });
    expect(entries.map((e) => e.kind).sort()).toEqual(['conference_bridge', 'responder', 'responder', 'status_update']);
    expect(entries.find((e) => e.kind === 'status_update')?.message).toContain('Investigating a P1 incident with the Checkout API');
    expect(entries.find((e) => e.kind === 'conference_bridge')?.message).toBe('Conference bridge set by Harsh Santwani on PagerDuty: https://example.com/123-456-789');
    expect(entries.some((e) => e.kind === 'responder' && /accepted the request to respond/.test(e.message))).toBe(true);
    // Redeliveries add nothing.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect((await timeline(fx.api, id)).filter((e) => ['status_update', 'responder', 'conference_bridge'].includes(e.kind))).toHaveLength(4);
  });
});

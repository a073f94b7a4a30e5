import { randomUUID } from 'node:crypto';
import { signWebhookBody } from '@incident-sync/pagerduty';
import {
  ApiClient, createSyncFixture, disposeFixture, history, openApiProblems, simControl, simRequests, simRequestSeq, SyncFixture, testStack, timeline,
  linkedFromPagerDuty, waitFor, withSimFaults,
} from './support/sync-e2e.fixture';

interface Delivery { seq: number; webhook_id: string; incident_id: string | null; url: string; event_type: string; outcome: string; body: { event: Record<string, any> } }

/**
 * Issue #14, notes: a PagerDuty note whose `incident.annotated` webhook was dropped is added to
 * the platform timeline by the next reconcile, exactly once (a late delivery of that webhook adds
 * nothing), our bot's copies of platform notes never come back, a dry run adds nothing, and a
 * note PagerDuty trimmed in its webhook arrives in full. Real stack + simulator.
 */
describe('sync-engine drift: PagerDuty notes (e2e)', () => {
  const SERVICE = 'PSVC003';
  let fx: SyncFixture;
  const until = <T>(what: string, probe: () => Promise<T | false | undefined>, timeoutMs = 30000): Promise<T> => waitFor(probe, { what, timeoutMs, intervalMs: 250 });
  const reconcile = (body: Record<string, unknown> = {}) => fx.api.post(`/api/v1/integrations/${fx.slug}/reconcile`, body);
  const deliveries = async (since: number): Promise<Delivery[]> =>
    ((await simControl.get(`/sim/deliveries?since=${since}`)).body.deliveries as Delivery[]).filter((d) => d.url.includes(fx.integrationId));
  const deliverySeq = async (): Promise<number> => Number((await simControl.get('/sim/deliveries?since=999999999')).body.last_seq ?? 0);
  const noteInPagerDuty = async (pdId: string, content: string): Promise<string> => {
    const r = await simControl.post(`/sim/incidents/${pdId}/notes`, { as: 'carol@example.com', content });
    expect(r.status).toBe(200);
    return r.body.note.id as string;
  };
  const pdNotes = (entries: Record<string, any>[], text: string) => entries.filter((e) => e.kind === 'note' && e.message === text);
  const linked = (title: string): Promise<{ pdId: string; incidentId: string }> => linkedFromPagerDuty(fx, SERVICE, title);

  beforeAll(async () => {
    fx = await createSyncFixture({ conflictStrategy: 'last-write-wins', serviceMappings: [[SERVICE, 'payments']], subscriptionServiceId: SERVICE, syncEscalations: false });
    // Reconcile reads may use half of the 600/min fixture budget: 200 ms between reads keeps the test short.
    expect((await fx.api.patch(`/api/v1/integrations/${fx.slug}`, { reconcile_budget_percent: 50 })).status).toBe(200);
  });

  afterAll(async () => {
    await disposeFixture(fx);
  });

  it('a note whose webhook was dropped is added by the next reconcile exactly once (not by a dry run), our bot\'s copy of a platform note never comes back, and a late delivery adds nothing', async () => {
    const { pdId, incidentId } = await linked('Payments timeouts');
    const text = `Rolled back deploy ${randomUUID().slice(0, 8)}`;
    const platformText = `Platform note ${randomUUID().slice(0, 8)}`;
    const seq = await deliverySeq();
    let lost: Delivery | undefined;
    await withSimFaults({ webhook_drop_rate: 1, path: fx.integrationId }, async () => {
      await noteInPagerDuty(pdId, text);
      // A note written on the platform is copied to PagerDuty by our bot; its echo is dropped too.
      expect((await fx.api.post(`/api/v1/incidents/${incidentId}/notes`, { body: platformText })).status).toBeLessThan(300);
      const dropped = await until('both note deliveries lost', async () => {
        const list = (await deliveries(seq)).filter((d) => d.incident_id === pdId && d.event_type === 'incident.annotated' && d.outcome === 'lost');
        return list.length >= 2 && list;
      }, 45000);
      lost = dropped.find((d) => d.body.event.data.content === text);
      expect(dropped.find((d) => String(d.body.event.data.content).includes(platformText))).toBeDefined();
    });
    expect(lost).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(pdNotes(await timeline(fx.api, incidentId), text)).toEqual([]);

    // A dry run reports the note and adds nothing.
    const dry = await reconcile({ dry_run: true });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dry_run: true, repairs: {} });
    const noteId: string = lost!.body.event.data.id;
    expect(dry.body.drift).toContainEqual(expect.objectContaining({ pd_incident_id: pdId, platform_incident_id: incidentId, field: 'note', note_id: noteId, pagerduty: text, action: 'none (dry run)' }));
    expect(dry.body.drift.filter((d: { field: string; pagerduty: unknown }) => d.field === 'note' && String(d.pagerduty).includes(platformText))).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(pdNotes(await timeline(fx.api, incidentId), text)).toEqual([]);

    const requestSeq = await simRequestSeq();
    const pass = await reconcile();
    expect(pass.status).toBe(200);
    expect(pass.body.repairs).toMatchObject({ note: 1 });
    expect(pass.body.drift).toContainEqual(expect.objectContaining({ field: 'note', note_id: noteId, action: 'repair-queued' }));
    // The documented reads, valid against PagerDuty's OpenAPI document.
    const reads = await simRequests(requestSeq, (r) => r.method === 'GET' && (r.path === '/log_entries' || r.path === `/incidents/${pdId}/notes`));
    expect(reads.map((r) => r.path)).toEqual(expect.arrayContaining(['/log_entries', `/incidents/${pdId}/notes`]));
    expect(reads.flatMap(openApiProblems)).toEqual([]);

    await until('the repaired note on the platform timeline', async () => pdNotes(await timeline(fx.api, incidentId), text).length === 1);
    const entries = await history(fx, incidentId);
    expect(entries).toContainEqual(expect.objectContaining({ source: 'reconcile', outcome: 'drift-found', reason: expect.stringContaining(noteId) }));
    expect(entries).toContainEqual(expect.objectContaining({ source: 'reconcile', outcome: 'applied' }));
    expect((await fx.api.get(`/api/v1/integrations/${fx.slug}/sync-status`)).body.last_reconcile).toMatchObject({ repairs: { note: 1 } });

    // A second pass finds nothing missing.
    const again = await reconcile({ since: new Date(Date.now() - 600000).toISOString() });
    expect(again.body.repairs.note).toBeUndefined();

    // PagerDuty's late delivery of the dropped webhook (same X-Webhook-Id) adds nothing.
    const secret = `whsec-${randomUUID()}`;
    expect((await fx.api.post(`/api/v1/integrations/${fx.integrationId}/webhook-secrets`, { secret })).status).toBeLessThan(300);
    const body = JSON.stringify(lost!.body);
    const anonymous = new ApiClient(testStack.gatewayUrl);
    const send = () => anonymous.request('POST', `/api/v1/webhooks/${fx.integrationId}`, body, {
      'content-type': 'application/json', 'user-agent': 'PagerDuty-Webhook/V3.0', 'x-pagerduty-signature': signWebhookBody(secret, body), 'x-webhook-id': lost!.webhook_id,
    });
    await until('the late delivery accepted', async () => (await send()).status === 202, 15000);
    await until('the late delivery decided', async () => (await history(fx, incidentId)).some((h) => h.source === 'webhook' && h.outcome === 'stale' && String(h.reason).includes(noteId)));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const final = await timeline(fx.api, incidentId);
    expect(pdNotes(final, text)).toHaveLength(1);
    // The platform's own note is there once: our bot's copy in PagerDuty did not come back.
    expect(final.filter((e) => String(e.message).includes(platformText))).toHaveLength(1);
  }, 150000);

  it('an incident whose note webhooks all arrived costs no notes read', async () => {
    const { pdId, incidentId } = await linked('Queue backlog');
    const text = `Drained the queue ${randomUUID().slice(0, 8)}`;
    const since = new Date(Date.now() - 60000).toISOString();
    await noteInPagerDuty(pdId, text);
    await until('the note on the platform timeline', async () => pdNotes(await timeline(fx.api, incidentId), text).length === 1);
    // Well inside the window (PagerDuty's note time may differ a little between its webhook and its log entry).
    await new Promise((resolve) => setTimeout(resolve, 11000));
    const requestSeq = await simRequestSeq();
    const pass = await reconcile({ since });
    expect(pass.status).toBe(200);
    expect(await simRequests(requestSeq, (r) => r.path === '/log_entries')).not.toEqual([]);
    expect(await simRequests(requestSeq, (r) => r.path === `/incidents/${pdId}/notes`)).toEqual([]);
    expect(pass.body.drift.filter((d: { pd_incident_id: string; field: string }) => d.pd_incident_id === pdId && d.field === 'note')).toEqual([]);
  }, 90000);

  it('a note PagerDuty trimmed in its webhook (trimmed: true) arrives in full; a failing read of it parks that incident only and is retried', async () => {
    const a = await linked('Ledger drift');
    const b = await linked('Card auth errors');
    const full = `Timeline of the incident. ${'Step: checked the ledger replica lag and restarted the consumer. '.repeat(1000)}`;
    expect(Buffer.byteLength(full)).toBeGreaterThan(56320);
    const short = `Card auth recovered ${randomUUID().slice(0, 8)}`;
    const seq = await deliverySeq();
    await withSimFaults({ rest_error_rate: 1, rest_error_status: 503, method: 'GET', path: `/incidents/${a.pdId}/notes` }, async () => {
      await noteInPagerDuty(a.pdId, full);
      const sent = await until('the trimmed delivery', async () => (await deliveries(seq)).find((d) => d.incident_id === a.pdId && d.event_type === 'incident.annotated' && d.outcome === 'delivered'));
      expect(sent.body.event.data.trimmed).toBe(true);
      expect(full.startsWith(sent.body.event.data.content)).toBe(true);
      expect(sent.body.event.data.content.length).toBeLessThan(full.length);
      // Another incident's note is not held behind the failing read.
      await noteInPagerDuty(b.pdId, short);
      await until('the other incident\'s note', async () => pdNotes(await timeline(fx.api, b.incidentId), short).length === 1);
      expect((await timeline(fx.api, a.incidentId)).filter((e) => e.kind === 'note')).toEqual([]);
      const status = (await fx.api.get(`/api/v1/integrations/${fx.slug}/sync-status`)).body;
      expect(status.parked_messages).toBeGreaterThanOrEqual(1);
    });
    const notes = await until('the full note on the platform', async () => { const n = (await timeline(fx.api, a.incidentId)).filter((e) => e.kind === 'note'); return n.length > 0 && n; }, 90000);
    expect(notes.map((n) => n.message)).toEqual([full]);
    expect((await fx.api.get(`/api/v1/integrations/${fx.slug}/sync-status`)).body.dlq_size).toBe(0);
  }, 150000);
});

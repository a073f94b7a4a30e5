import { randomUUID } from 'node:crypto';
import {
  createSyncFixture, disposeFixture, history, linkOf, pdIncident, platformIncident, responder, simRequests, simRequestSeq, SyncFixture, timeline, waitFor,
} from './support/sync-e2e.fixture';

/**
 * A write PagerDuty's REST API cannot make: a person reopens the platform incident
 * (mitigated → open) while a responder holds it acknowledged in PagerDuty. PagerDuty answers
 * 400 1003 to `status: triggered` (only a responder can unacknowledge). That is no transient
 * failure to retry and no dead letter to leave the sides apart: the link follows PagerDuty, the
 * platform is set back to mitigated, and its timeline says why.
 */
describe('a status PagerDuty refuses (e2e)', () => {
  let fx: SyncFixture;
  const until = <T>(what: string, probe: () => Promise<T | false | undefined>, timeoutMs = 60000): Promise<T> => waitFor(probe, { what, timeoutMs, intervalMs: 250 });

  beforeAll(async () => {
    fx = await createSyncFixture({ serviceMappings: [['PSVC003', 'infrastructure']], subscriptionServiceId: 'PSVC003' });
  });

  afterAll(async () => {
    await disposeFixture(fx);
  });

  it('reopening on the platform an incident acknowledged in PagerDuty ends with both sides acknowledged/mitigated, a timeline entry, and no dead letter', async () => {
    const created = await fx.api.post('/api/v1/incidents', { title: `refused ${randomUUID().slice(0, 6)}`, severity: 'SEV-2', incident_type: 'infrastructure' });
    expect(created.status).toBe(201);
    const id: string = created.body.id;
    const link = await until('the link', async () => { const l = await linkOf(fx, id); return l?.pd_incident_id ? l : false; });
    const pdId: string = link.pd_incident_id;
    await responder(pdId, 'acknowledge', { as: 'carol@example.com' });
    await until('the platform shows mitigated', async () => (await platformIncident(fx.api, id)).status === 'mitigated');

    const since = await simRequestSeq();
    const patched = await fx.api.patch(`/api/v1/incidents/${id}`, { status: 'open', title: 'reopened on the platform' });
    expect(patched.status).toBe(200);
    // PagerDuty refuses triggered; the title in the same write is stored all the same.
    await until('PagerDuty refusing triggered with 1003', async () => (await simRequests(since, (r) => r.method === 'PUT' && r.path === `/incidents/${pdId}` && r.status === 400))[0]);
    await until('the title in PagerDuty', async () => (await pdIncident(pdId)).title === 'reopened on the platform');
    const entry = await until('the timeline entry', async () => (await timeline(fx.api, id)).find((e) => e.kind === 'sync' && /refused/.test(e.message ?? '')));
    expect(entry.message).toContain('only a responder can unacknowledge');
    await until('the platform set back to mitigated', async () => (await platformIncident(fx.api, id)).status === 'mitigated');
    expect((await pdIncident(pdId)).status).toBe('acknowledged');
    expect((await history(fx, id)).some((d) => d.outcome === 'write-refused' && d.field === 'status')).toBe(true);
    const status = await fx.api.get(`/api/v1/integrations/${fx.slug}/sync-status`);
    expect(status.body.dlq_size).toBe(0);
  });
});

import { randomUUID } from 'node:crypto';
import {
  createSyncFixture, disposeFixture, history, linkOf, openApiProblems, pdIncident, platformIncident, responder, simControl, simRequests, simRequestSeq, SyncFixture, timeline, triggerInPagerDuty,
  waitFor, withSimFaults,
} from './support/sync-e2e.fixture';

/**
 * Issue #18, merges end to end. PagerDuty sends no merge event: merging resolves each source
 * with resolve_reason = merge_resolve_reason naming the target (FACTS §2.2, AS mergeIncidents).
 * A responder merges in the simulator; every later change must keep reaching the right
 * platform incident, in both directions.
 */
describe('PagerDuty merges keep changes flowing to the right platform incident (e2e)', () => {
  const SERVICE = 'PSVC001';
  let fx: SyncFixture;
  let unlinked: { id: string; number: number };
  let unlinkedLater: { id: string; number: number };

  const until = <T>(what: string, probe: () => Promise<T | false | undefined>, timeoutMs = 30000): Promise<T> => waitFor(probe, { what, timeoutMs, intervalMs: 250 });
  const linked = async (title: string): Promise<{ pdId: string; number: number; incidentId: string }> => {
    const triggered = await triggerInPagerDuty({ as: 'carol@example.com', service_id: SERVICE, title: `${title} ${randomUUID().slice(0, 6)}` });
    const link = await until(`the link of ${title}`, async () => (await linkOf(fx, triggered.id)) ?? false);
    await until(`the platform incident of ${title}`, async () => (await fx.api.get(`/api/v1/incidents/${link.platform_incident_id}`)).status === 200);
    return { pdId: triggered.id, number: triggered.number, incidentId: link.platform_incident_id };
  };
  const status = async (incidentId: string): Promise<string> => (await platformIncident(fx.api, incidentId)).status;
  const titlePut = (pdId: string, title: string) => async (since: number) =>
    (await simRequests(since, (r) => r.method === 'PUT' && r.path === `/incidents/${pdId}` && (r.body as any)?.incident?.title === title && r.status < 300))[0];

  beforeAll(async () => {
    // Triggered before the integration subscribes: no platform incident follows it.
    unlinked = await triggerInPagerDuty({ as: 'carol@example.com', service_id: SERVICE, title: `never linked ${randomUUID().slice(0, 6)}` });
    unlinkedLater = await triggerInPagerDuty({ as: 'carol@example.com', service_id: SERVICE, title: `never linked either ${randomUUID().slice(0, 6)}` });
    fx = await createSyncFixture({ serviceMappings: [[SERVICE, 'infrastructure']], syncEscalations: true, subscriptionServiceId: SERVICE });
  });

  afterAll(async () => {
    await disposeFixture(fx);
  });

  it('two linked incidents: the source\'s platform incident resolves pointing at the target\'s; the target\'s later changes reach only its own', async () => {
    const source = await linked('merge source');
    const target = await linked('merge target');
    await responder(target.pdId, 'merge', { as: 'bob@example.com', source_ids: [source.pdId] });
    expect(await pdIncident(source.pdId)).toMatchObject({ status: 'resolved', resolve_reason: { type: 'merge_resolve_reason', incident: { id: target.pdId } } });

    await until('the source\'s platform incident resolved', async () => (await status(source.incidentId)) === 'resolved');
    const entry = await until('the merge on the source\'s timeline', async () => (await timeline(fx.api, source.incidentId)).find((e) => e.kind === 'merged'));
    expect(entry.message).toContain(`merged into PagerDuty #${target.number}`);
    expect(entry.message).toContain(target.incidentId);
    expect(entry.message).toContain('by Bob Responder in PagerDuty');
    expect((await linkOf(fx, source.incidentId))?.pd_incident_id).toBe(source.pdId);

    // Later PagerDuty changes of the target: its own platform incident, never the source's.
    await responder(target.pdId, 'acknowledge', { as: 'bob@example.com' });
    const note = `after the merge ${randomUUID().slice(0, 6)}`;
    await responder(target.pdId, 'notes', { as: 'bob@example.com', content: note });
    await until('the target\'s platform incident mitigated', async () => (await status(target.incidentId)) === 'mitigated');
    await until('the note on the target\'s timeline', async () => (await timeline(fx.api, target.incidentId)).some((e) => e.kind === 'note' && e.message === note));
    expect(await status(source.incidentId)).toBe('resolved');
    expect((await timeline(fx.api, source.incidentId)).filter((e) => e.message === note)).toEqual([]);
    expect((await timeline(fx.api, target.incidentId)).filter((e) => e.kind === 'merged')).toEqual([]);

    // And a platform edit of the target's platform incident reaches the target.
    const since = await simRequestSeq();
    const title = `target renamed ${randomUUID().slice(0, 6)}`;
    expect((await fx.api.patch(`/api/v1/incidents/${target.incidentId}`, { title })).status).toBe(200);
    const put = await until('the title PUT to the target', async () => titlePut(target.pdId, title)(since));
    expect(openApiProblems(put)).toEqual([]);
    expect(await simRequests(since, (r) => r.method !== 'GET' && r.path.startsWith(`/incidents/${source.pdId}`))).toEqual([]);
  }, 120000);

  it('a linked incident merged into an unlinked one: the link moves, and the target\'s later changes reach the source\'s platform incident', async () => {
    const source = await linked('merged away');
    await responder(unlinked.id, 'merge', { as: 'bob@example.com', source_ids: [source.pdId] });

    const link = await until('the link moved to the target', async () => { const l = await linkOf(fx, source.incidentId); return l?.pd_incident_id === unlinked.id && l; });
    expect(link.pd_incident_number).toBe(unlinked.number);
    const entry = await until('the merge on the timeline', async () => (await timeline(fx.api, source.incidentId)).find((e) => e.kind === 'merged'));
    expect(entry.message).toContain(`now follows PagerDuty #${unlinked.number}`);
    // The work goes on in the target: the platform incident stays open and knows where it lives now.
    expect(await status(source.incidentId)).toBe('open');
    await until('the external ref of the target', async () => (await platformIncident(fx.api, source.incidentId)).external_refs?.some((r: any) => r.id === unlinked.id));

    await responder(unlinked.id, 'acknowledge', { as: 'bob@example.com' });
    await until('the platform incident mitigated by the target\'s acknowledgement', async () => (await status(source.incidentId)) === 'mitigated');

    const since = await simRequestSeq();
    const title = `follows the target ${randomUUID().slice(0, 6)}`;
    expect((await fx.api.patch(`/api/v1/incidents/${source.incidentId}`, { title })).status).toBe(200);
    const put = await until('the title PUT to the target', async () => titlePut(unlinked.id, title)(since));
    expect(openApiProblems(put)).toEqual([]);
    expect((await pdIncident(unlinked.id)).title).toBe(title);
    expect(await simRequests(since, (r) => r.method !== 'GET' && r.path.startsWith(`/incidents/${source.pdId}`))).toEqual([]);
  }, 120000);

  it('a merge whose webhook was lost is recognised by a reconcile read of the source: the link moves, the platform incident is not resolved', async () => {
    const source = await linked('merged while deliveries were lost');
    const seq = Math.max(0, ...(await simControl.get('/sim/deliveries?since=0')).body.deliveries.map((d: { seq: number }) => d.seq));
    await withSimFaults({ webhook_drop_rate: 1, path: fx.integrationId }, async () => {
      await responder(unlinkedLater.id, 'merge', { as: 'bob@example.com', source_ids: [source.pdId] });
      await until('the lost delivery', async () => (await simControl.get(`/sim/deliveries?since=${seq}`)).body.deliveries
        .some((d: { incident_id: string; event_type: string; outcome: string }) => d.incident_id === source.pdId && d.event_type === 'incident.resolved' && d.outcome === 'lost'));
    });
    expect((await linkOf(fx, source.incidentId))?.pd_incident_id).toBe(source.pdId);

    expect((await fx.api.post(`/api/v1/integrations/${fx.slug}/reconcile`, {})).status).toBe(200);
    await until('the link moved to the target', async () => (await linkOf(fx, source.incidentId))?.pd_incident_id === unlinkedLater.id);
    await until('the merge on the timeline', async () => (await timeline(fx.api, source.incidentId)).some((e) => e.kind === 'merged' && e.message.includes(`#${unlinkedLater.number}`)));
    expect(await status(source.incidentId)).toBe('open');
    const entries = await history(fx, source.incidentId);
    expect(entries).toContainEqual(expect.objectContaining({ source: 'reconcile', field: 'status', outcome: 'drift-found' }));
  }, 120000);
});

import { randomUUID } from 'node:crypto';
import {
  createSyncFixture, disposeFixture, history, linkOf, pdIncident, platformIncident, responder, simRequests, simRequestSeq, SyncFixture, timeline, waitFor,
} from './support/sync-e2e.fixture';

/**
 * Issue #15: what "the platform owns severity" means, both ways, end to end.
 * - By default ownership only decides between concurrent edits: a PagerDuty edit made after
 *   both sides agreed is copied to the platform, even on a platform-owned field.
 * - Authoritative ownership enforces the owner's value: a non-owner's edit is set back, with a
 *   timeline entry on the platform saying why (sync-domain README §7.4).
 */
describe('field ownership: tie-breaking (default) and authoritative (e2e)', () => {
  let ties: SyncFixture;
  let enforced: SyncFixture;

  const until = <T>(what: string, probe: () => Promise<T | false | undefined>, timeoutMs = 60000): Promise<T> => waitFor(probe, { what, timeoutMs, intervalMs: 250 });

  /** A platform incident linked to PagerDuty, agreed on both sides (severity SEV-2 = P2, assignee alice). */
  async function linkedIncident(fx: SyncFixture): Promise<{ id: string; pdId: string }> {
    const created = await fx.api.post('/api/v1/incidents', { title: `ownership ${randomUUID().slice(0, 6)}`, severity: 'SEV-2', incident_type: 'infrastructure', assigned_to: 'alice@example.com' });
    expect(created.status).toBe(201);
    const link = await until('the link', async () => { const l = await linkOf(fx, created.body.id); return l?.pd_incident_id ? l : false; });
    await until('PagerDuty holds P2 and alice', async () => {
      const pd = await pdIncident(link.pd_incident_id);
      return pd.priority?.summary === 'P2' && pd.assignments?.[0]?.assignee?.id === 'PUSR001';
    });
    return { id: created.body.id, pdId: link.pd_incident_id };
  }

  beforeAll(async () => {
    ties = await createSyncFixture({ serviceMappings: [['PSVC002', 'infrastructure']], subscriptionServiceId: 'PSVC002' });
    enforced = await createSyncFixture({ serviceMappings: [['PSVC003', 'infrastructure']], subscriptionServiceId: 'PSVC003' });
    const severity = await enforced.api.put(`/api/v1/integrations/${enforced.slug}/field-ownership/severity`, { owner: 'platform', authoritative: true });
    expect(severity.status).toBe(200);
    expect(severity.body).toMatchObject({ field: 'severity', owner: 'platform', authoritative: true });
    const assignee = await enforced.api.put(`/api/v1/integrations/${enforced.slug}/field-ownership/assigned_to`, { owner: 'external', authoritative: true });
    expect(assignee.body).toMatchObject({ field: 'assigned_to', owner: 'external', authoritative: true });
  });

  afterAll(async () => {
    await disposeFixture(ties);
    await disposeFixture(enforced);
  });

  it('by default, a PagerDuty priority change on the platform-owned severity is copied to the platform', async () => {
    const { id, pdId } = await linkedIncident(ties);
    await responder(pdId, 'priority', { priority: 'P4' });
    await until('the platform shows SEV-4', async () => (await platformIncident(ties.api, id)).severity === 'SEV-4');
    const listed = await ties.api.get(`/api/v1/integrations/${ties.slug}/field-ownership`);
    expect(listed.body.data.find((r: any) => r.field === 'severity')).toMatchObject({ owner: 'platform', authoritative: false, is_default: true });
  });

  it('authoritative: a PagerDuty priority change on the platform-owned severity is set back in PagerDuty, and the platform timeline says why', async () => {
    const { id, pdId } = await linkedIncident(enforced);
    const since = await simRequestSeq();
    await responder(pdId, 'priority', { priority: 'P4' });
    await until('our PUT setting PagerDuty back to P2', async () => (await simRequests(since, (r) => r.method === 'PUT' && r.path === `/incidents/${pdId}` && (r.body as any)?.incident?.priority?.id === 'PPRI002' && r.status < 300))[0]);
    await until('PagerDuty holds P2 again', async () => (await pdIncident(pdId)).priority?.summary === 'P2');
    const entry = await until('the ownership timeline entry', async () => (await timeline(enforced.api, id)).find((e) => e.kind === 'ownership'));
    expect(entry.message).toContain('The platform owns severity authoritatively');
    expect((await platformIncident(enforced.api, id)).severity).toBe('SEV-2');
    const decisions = await history(enforced, id);
    expect(decisions.some((d) => d.outcome === 'reverted-by-owner' && d.field === 'severity')).toBe(true);
  });

  it('authoritative: a platform reassignment of the PagerDuty-owned assignee is set back on the platform and never sent to PagerDuty', async () => {
    const { id, pdId } = await linkedIncident(enforced);
    const since = await simRequestSeq();
    const patched = await enforced.api.patch(`/api/v1/incidents/${id}`, { assigned_to: 'bob@example.com' });
    expect(patched.status).toBe(200);
    await until('the platform is set back to alice', async () => (await platformIncident(enforced.api, id)).assigned_to === 'alice@example.com');
    const entry = await until('the ownership timeline entry', async () => (await timeline(enforced.api, id)).find((e) => e.kind === 'ownership'));
    expect(entry.message).toContain('PagerDuty owns assigned to authoritatively');
    const puts = await simRequests(since, (r) => r.method === 'PUT' && r.path === `/incidents/${pdId}`);
    expect(puts.filter((r) => JSON.stringify(r.body).includes('PUSR002'))).toEqual([]);
    expect((await pdIncident(pdId)).assignments?.[0]?.assignee?.id).toBe('PUSR001');
  });
});

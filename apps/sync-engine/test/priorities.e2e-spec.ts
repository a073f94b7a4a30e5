import { randomUUID } from 'node:crypto';
import {
  createSyncFixture, disposeFixture, linkOf, openApiProblems, pdIncident, simControl, SimRequest, simRequests, simRequestSeq, SyncFixture, waitFor,
} from './support/sync-e2e.fixture';

/**
 * Issue #18: an account without priorities never receives one (FACTS §3.12). The simulator's
 * account loses its `priorities` ability (PUT /sim/account): GET /priorities then answers 402
 * and any write naming a priority 400 Invalid Priority. The sync-engine asks /abilities once per integration and
 * sends severity edits as urgency only.
 */
describe('sync-engine outbound on an account without priorities (e2e)', () => {
  const SERVICE = 'PSVC003';
  let fx: SyncFixture;
  let seedAbilities: string[];

  const until = <T>(what: string, probe: () => Promise<T | false | undefined>, timeoutMs = 30000): Promise<T> => waitFor(probe, { what, timeoutMs, intervalMs: 250 });
  const mine = (pdId: string | null, incidentId: string) => (r: SimRequest): boolean =>
    (r.method === 'POST' && r.path === '/incidents' && (r.body as any)?.incident?.incident_key === incidentId) || (pdId !== null && r.method === 'PUT' && r.path === `/incidents/${pdId}`);

  beforeAll(async () => {
    seedAbilities = (await simControl.get('/sim/account')).body.account.abilities;
    const without = seedAbilities.filter((a) => a !== 'priorities');
    expect((await simControl.put('/sim/account', { abilities: without })).status).toBe(200);
    fx = await createSyncFixture({ serviceMappings: [[SERVICE, 'infrastructure']], syncEscalations: true, subscriptionServiceId: SERVICE, rateLimit: 120 });
  });

  afterAll(async () => {
    await simControl.put('/sim/account', { abilities: seedAbilities });
    await disposeFixture(fx);
  });

  it('a bad account control is refused naming the field and changes nothing', async () => {
    const refused = await simControl.put('/sim/account', { abilities: 'teams' });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toMatch(/abilities/);
    expect((await simControl.get('/sim/account')).body.account.abilities).not.toContain('priorities');
  });

  it('a create and a severity edit write urgency only, and succeed', async () => {
    const since = await simRequestSeq();
    const made = await fx.api.post('/api/v1/incidents', { title: `no priorities ${randomUUID().slice(0, 6)}`, severity: 'SEV-1', incident_type: 'infrastructure' });
    expect(made.status).toBe(201);
    const incidentId: string = made.body.id;
    const post = await until('POST /incidents', async () => (await simRequests(since, mine(null, incidentId)))[0]);
    expect(openApiProblems(post)).toEqual([]);
    expect(post.status).toBe(201);
    expect((post.body as any).incident).not.toHaveProperty('priority');
    const link = await until('the link with the PagerDuty id', async () => { const l = await linkOf(fx, incidentId); return l?.pd_incident_id ? l : false; });
    const pdId: string = link.pd_incident_id;

    const editSince = await simRequestSeq();
    expect((await fx.api.patch(`/api/v1/incidents/${incidentId}`, { severity: 'SEV-3' })).status).toBe(200);
    const put = await until('severity PUT', async () => (await simRequests(editSince, (r) => mine(pdId, incidentId)(r) && (r.body as any)?.incident?.urgency === 'low'))[0]);
    expect(openApiProblems(put)).toEqual([]);
    expect(put.status).toBe(200);
    expect((put.body as any).incident).not.toHaveProperty('priority');
    const pd = await until('PagerDuty to hold the urgency', async () => { const i = await pdIncident(pdId); return i.urgency === 'low' && i; });
    expect(pd.priority).toBeNull();
    // Nothing this incident sent was refused, and nothing carried a priority.
    const all = await simRequests(since, mine(pdId, incidentId));
    expect(all.filter((r) => r.status >= 400)).toEqual([]);
    expect(all.filter((r) => (r.body as any)?.incident?.priority !== undefined)).toEqual([]);
    // The account was asked once (cached with its TTL, the miss included), and /priorities not at all.
    const reads = await simRequests(since, (r) => r.method === 'GET' && (r.path === '/abilities' || r.path === '/priorities'));
    expect(reads.filter((r) => r.path === '/abilities').length).toBeLessThanOrEqual(1);
    expect(reads.filter((r) => r.path === '/priorities')).toEqual([]);
  });
});

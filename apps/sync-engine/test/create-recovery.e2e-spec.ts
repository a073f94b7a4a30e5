import { randomUUID } from 'node:crypto';
import {
  createSyncFixture, disposeFixture, linkOf, pdIncident, simApi, simControl, simRequests, simRequestSeq, SyncFixture, triggerInPagerDuty, waitFor,
} from './support/sync-e2e.fixture';

/**
 * Issue #18, matching by dedup key, end to end: the create-recovery lookup
 * (`GET /incidents?incident_key=K&date_range=all`) also lists an incident with NO incident_key
 * when one of its child alerts has alert_key K (FACTS §2.2: an incident with child alerts has
 * none). Such an incident, on the very service our create names, is someone else's and must
 * never be linked: neither when the create failed before PagerDuty stored it (the retry looks
 * first, finds only the keyless one, and creates), nor when PagerDuty stored it but the answer
 * came too late (the retry finds both and links ours).
 */
describe('create recovery never links an incident without our incident_key (e2e)', () => {
  const SERVICE = 'PSVC002';
  let fx: SyncFixture;

  const until = <T>(what: string, probe: () => Promise<T | false | undefined>, timeoutMs = 60000): Promise<T> => waitFor(probe, { what, timeoutMs, intervalMs: 250 });
  const setFaults = async (faults: Record<string, unknown>): Promise<void> => {
    const set = await simControl.put('/sim/faults', faults);
    expect(set.status).toBe(200);
  };
  const createsOf = (incidentId: string) => async (since: number) =>
    simRequests(since, (r) => r.method === 'POST' && r.path === '/incidents' && (r.body === null || r.body === undefined || (r.body as any)?.incident?.incident_key === incidentId));

  beforeAll(async () => {
    fx = await createSyncFixture({ serviceMappings: [[SERVICE, 'payments']], syncEscalations: true, subscriptionServiceId: SERVICE, rateLimit: 600 });
  });

  afterAll(async () => {
    await simControl.delete('/sim/faults');
    await disposeFixture(fx);
  });

  it('a keyless incident on the same service listed for our key is never linked; ours is, and later edits reach only ours', async () => {
    const since = await simRequestSeq();
    // Every create is refused (503) until the keyless incident exists: the first try never reaches PagerDuty's store.
    await setFaults({ rest_error_rate: 1, rest_error_status: 503, path: '^/incidents$', method: 'POST' });
    const made = await fx.api.post('/api/v1/incidents', { title: `recovery ${randomUUID().slice(0, 6)}`, severity: 'SEV-1', incident_type: 'payments' });
    expect(made.status).toBe(201);
    const incidentId: string = made.body.id;
    await until('the refused create', async () => (await createsOf(incidentId)(since)).some((r) => r.status === 503));

    // Someone else's alerts: an incident on the same service grouping an alert whose alert_key is our key.
    const grouped = await triggerInPagerDuty({ service_id: SERVICE, alert_keys: [incidentId], title: 'grouped alerts from monitoring' });
    const listedFirst = (await simApi.get(`/incidents?incident_key=${incidentId}&date_range=all`)).body.incidents;
    expect(listedFirst.map((i: any) => i.id)).toEqual([grouped.id]);
    expect(listedFirst[0].incident_key ?? null).toBeNull();
    const groupedBefore = await pdIncident(grouped.id);

    // Now PagerDuty stores the create but answers after the dispatcher's timeout: outcome unknown again.
    const lookupsSince = await simRequestSeq();
    await setFaults({ answer_delay_rate: 1, answer_delay_ms: 12000, path: '^/incidents$', method: 'POST' });
    const link = await until('the link with a PagerDuty id', async () => { const l = await linkOf(fx, incidentId); return l?.pd_incident_id ? l : false; }, 90000);
    await simControl.delete('/sim/faults');

    // The recovery looked the key up and saw the keyless incident, yet linked the one with our key.
    const lookups = await simRequests(lookupsSince, (r) => r.method === 'GET' && r.path === '/incidents' && r.query.incident_key === incidentId);
    expect(lookups.length).toBeGreaterThanOrEqual(1);
    expect(link.pd_incident_id).not.toBe(grouped.id);
    const ours = (await simApi.get(`/incidents?incident_key=${incidentId}&date_range=all`)).body.incidents.filter((i: any) => i.incident_key === incidentId);
    expect(ours.map((i: any) => i.id)).toEqual([link.pd_incident_id]);
    expect(ours[0].service.id).toBe(SERVICE);

    // A later platform edit reaches our PagerDuty incident and never the keyless one.
    const editSince = await simRequestSeq();
    expect((await fx.api.patch(`/api/v1/incidents/${incidentId}`, { severity: 'SEV-4' })).status).toBe(200);
    await until('our incident to turn low urgency', async () => (await pdIncident(link.pd_incident_id)).urgency === 'low');
    const touchedGrouped = await simRequests(since, (r) => r.method !== 'GET' && r.path.startsWith(`/incidents/${grouped.id}`));
    expect(touchedGrouped).toEqual([]);
    expect(await simRequests(editSince, (r) => r.method === 'PUT' && r.path === `/incidents/${link.pd_incident_id}` && r.status < 300)).not.toEqual([]);
    const groupedAfter = await pdIncident(grouped.id);
    expect(groupedAfter).toMatchObject({ urgency: groupedBefore.urgency, status: groupedBefore.status, title: groupedBefore.title });
    expect(groupedAfter.incident_key ?? null).toBeNull();
  }, 150000);
});

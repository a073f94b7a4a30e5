import { randomUUID } from 'node:crypto';
import {
  createSyncFixture, disposeFixture, linkOf, pdIncident, platformIncident, simControl, simRequestSeq, simRequests, SyncFixture, waitFor,
} from './support/sync-e2e.fixture';

/**
 * Issue #13 (1): a user's last edit must survive on both sides. 20 linked incidents get rounds
 * of title + severity edits through the incidents REST API, with PagerDuty healthy and with
 * PagerDuty answering 500 to about half of the first 50 requests. Our writes coalesce in the
 * dispatcher and PagerDuty's `incident.priority_updated` webhooks for them (agent = our bot)
 * come back while later edits are already pending. At the end both sides hold the last edit
 * of every incident: no edit of ours comes back as "someone on PagerDuty changed it".
 */
describe('edit convergence: the last edit survives on both sides (e2e)', () => {
  const SERVICE = 'PSVC002';
  const INCIDENTS = 20;
  const PD_OF: Record<string, { urgency: string; priority: string }> = { 'SEV-1': { urgency: 'high', priority: 'P1' }, 'SEV-3': { urgency: 'low', priority: 'P3' } };
  let fx: SyncFixture;

  const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

  beforeAll(async () => {
    fx = await createSyncFixture({ conflictStrategy: 'last-write-wins', serviceMappings: [[SERVICE, 'infrastructure']], subscriptionServiceId: SERVICE, syncEscalations: false });
  });

  afterAll(async () => {
    await simControl.delete('/sim/faults');
    await disposeFixture(fx);
  });

  /** Creates `n` platform incidents and waits until each is linked and its severity agreed. */
  async function linkedIncidents(n: number): Promise<{ id: string; pdId: string }[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i += 1) {
      const created = await fx.api.post('/api/v1/incidents', { title: `converge ${randomUUID().slice(0, 6)}`, severity: 'SEV-2', incident_type: 'infrastructure' });
      expect(created.status).toBe(201);
      ids.push(created.body.id);
    }
    const linked: { id: string; pdId: string }[] = [];
    for (const id of ids) {
      const link = await waitFor(async () => { const l = await linkOf(fx, id); return l?.pd_incident_id && l.fields.severity.agreed ? l : false; }, { what: `link of ${id}`, timeoutMs: 60000, intervalMs: 250 });
      linked.push({ id, pdId: link.pd_incident_id });
    }
    return linked;
  }

  /** Rounds of title + severity edits (SEV-3 on odd rounds, SEV-1 on even ones), `gapMs` apart. */
  async function editRounds(incidents: { id: string }[], rounds: number, gapMs: number): Promise<{ title: string; severity: string }> {
    let last = { title: '', severity: '' };
    for (let round = 1; round <= rounds; round += 1) {
      last = { title: `round ${round} ${randomUUID().slice(0, 4)}`, severity: round % 2 === 1 ? 'SEV-3' : 'SEV-1' };
      const edit = last;
      const answers = await Promise.all(incidents.map((incident) => fx.api.patch(`/api/v1/incidents/${incident.id}`, edit)));
      expect(answers.map((a) => a.status)).toEqual(incidents.map(() => 200));
      await sleep(gapMs);
    }
    return last;
  }

  /**
   * Waits until every incident holds the last edit on both sides and the link is quiet; on
   * timeout, fails naming each incident that lost its last edit and what it holds instead.
   */
  async function expectLastEditEverywhere(incidents: { id: string; pdId: string }[], last: { title: string; severity: string }): Promise<void> {
    const want = PD_OF[last.severity];
    const lost = async (): Promise<string[]> => {
      const wrong: string[] = [];
      for (const { id, pdId } of incidents) {
        const platform = await platformIncident(fx.api, id);
        const pd = await pdIncident(pdId);
        if (platform.title !== last.title || platform.severity !== last.severity || pd.title !== last.title || pd.urgency !== want?.urgency || pd.priority?.summary !== want?.priority) {
          wrong.push(`${id}: platform ${platform.severity}/${platform.title}, PagerDuty ${pd.urgency}/${pd.priority?.summary}/${pd.title}`);
        }
      }
      return wrong;
    };
    let remaining: string[] = [];
    try {
      await waitFor(async () => { remaining = await lost(); return remaining.length === 0; }, { what: 'both sides to hold the last edit', timeoutMs: 90000, intervalMs: 1000 });
      // Then nothing is left to send and nothing came back to undo it.
      await waitFor(async () => (await fx.api.get(`/api/v1/integrations/${fx.slug}/sync-status`)).body.outbound_queue_depth === 0, { what: 'an empty outbound queue', timeoutMs: 60000, intervalMs: 500 });
      await sleep(3000);
      remaining = await lost();
    } catch {
      // Reported below with the details.
    }
    expect({ lostLastEdit: remaining.length, incidents: remaining }).toEqual({ lostLastEdit: 0, incidents: [] });
    const open = (await fx.api.get(`/api/v1/conflicts?integration=${fx.slug}`)).body.data ?? [];
    expect(open).toEqual([]);
  }

  it('with PagerDuty healthy: 10 rounds of title + severity edits about 0.4 s apart end with the last edit on both sides', async () => {
    const incidents = await linkedIncidents(INCIDENTS);
    const last = await editRounds(incidents, 10, 400);
    await expectLastEditEverywhere(incidents, last);
  }, 400000);

  it('with PagerDuty answering 500 to about half of the first 50 requests: 5 rounds about 0.6 s apart end with the last edit on both sides', async () => {
    const incidents = await linkedIncidents(INCIDENTS);
    const since = await simRequestSeq();
    const faulty = await simControl.put('/sim/faults', { rest_error_rate: 0.5, rest_error_status: 500, path: '^/incidents' });
    expect(faulty.status).toBeLessThan(300);
    let cleared = false;
    // The fault lasts for the first 50 PagerDuty requests after the edits start.
    const watcher = (async () => {
      while (!cleared) {
        if ((await simRequests(since)).length >= 50) break;
        await sleep(100);
      }
      await simControl.delete('/sim/faults');
      cleared = true;
    })();
    try {
      const last = await editRounds(incidents, 5, 600);
      await waitFor(async () => cleared, { what: 'the first 50 PagerDuty requests', timeoutMs: 60000, intervalMs: 250 });
      await watcher;
      await expectLastEditEverywhere(incidents, last);
    } finally {
      cleared = true;
      await watcher;
    }
  }, 400000);
});

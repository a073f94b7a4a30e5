import { waitFor } from '@incident-sync/testing';
import { LeakLedger, ledgerSummary } from './support/raw-http';
import { saveLedger, SecurityWorld, securityWorld, WorldClient } from './support/security-world';

/**
 * Issue #12: one PATCH with a 65,536-character description of control characters made an
 * outbox event larger than Kafka accepts, and the relay retried that batch forever, so no
 * organization's change was published again. Whatever the PATCH answers, another
 * organization's change afterwards still reaches its PagerDuty incident.
 * (Runs after the corpus: on a build without the fix it leaves the relay stuck.)
 */
describe('one organization\'s oversized change does not stop the others (security)', () => {
  const ledger = new LeakLedger();
  const client = new WorldClient(ledger);
  let world: SecurityWorld;

  beforeAll(async () => {
    world = await securityWorld(client);
  });

  afterAll(() => {
    saveLedger('outbox-isolation', ledger);
    client.close();
  });

  it('after A\'s 65,536-control-character PATCH, B\'s title change reaches B\'s PagerDuty incident', async () => {
    // Twice: the second change event carries the old and the new description and the snapshot (3 × 384 KB escaped).
    for (const ch of ['\u0001', '\u0002']) {
      const patch = await client.api('PATCH', `/api/v1/incidents/${world.a.incidentId}`, world.a.apiKey, { description: ch.repeat(65536) });
      expect(patch.status).toBeLessThan(500);
      if (patch.status >= 400) expect(patch.json?.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
      console.log(`a 65,536-control-character PATCH answered ${patch.status}`);
    }

    const title = `bystander keeps flowing ${Date.now()}`;
    expect((await client.api('PATCH', `/api/v1/incidents/${world.b.incidentId}`, world.b.apiKey, { title })).status).toBe(200);
    const pd = await waitFor(async () => {
      const answer = await client.sim.json('GET', `/incidents/${world.b.pdIncidentId}`, undefined, undefined, { authorization: 'Token token=sim-account-token', accept: 'application/vnd.pagerduty+json;version=2' });
      return answer.json?.incident?.title === title && answer.json.incident;
    }, { what: 'B\'s title in PagerDuty', timeoutMs: 120000, intervalMs: 500 });
    expect(pd.title).toBe(title);
  });

  it('no answer this file received carried a canary or secret marker', () => {
    expect(ledgerSummary(ledger)).toEqual([]);
  });
});

import { newIncidentKey, newPdId, newUlid, newWebhookSecret } from './sim-ids';

describe('ids', () => {
  it('ULIDs are 26 Crockford base32 characters, encode the time, and sort in creation order', () => {
    const t = Date.parse('2026-11-26T12:00:00Z');
    const ids = [newUlid(t), newUlid(t), newUlid(t), newUlid(t + 1), newUlid(t + 1000)];
    for (const id of ids) expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    const decoded = [...ids[0]!.slice(0, 10)].reduce((acc, c) => acc * 32 + '0123456789ABCDEFGHJKMNPQRSTVWXYZ'.indexOf(c), 0);
    expect(decoded).toBe(t);
  });

  it('PagerDuty-style ids and secrets', () => {
    expect(newPdId()).toMatch(/^P[A-Z0-9]{6}$/);
    expect(newPdId(14, 'Q')).toMatch(/^Q[A-Z0-9]{13}$/);
    expect(newWebhookSecret()).toMatch(/^[A-Za-z0-9+/]{64}$/);
    // An incident created without incident_key gets one like real captures: 32 lower-case hex.
    expect(newIncidentKey()).toMatch(/^[0-9a-f]{32}$/);
    expect(newIncidentKey()).not.toBe(newIncidentKey());
  });
});

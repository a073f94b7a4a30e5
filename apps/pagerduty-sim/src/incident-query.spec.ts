import fc from 'fast-check';
import { filterIncidents, listParam, paginate, parsePage, sortIncidents } from './incident-query';
import { PdError } from './pd-error';
import { SimIncident } from './sim-model';

const NOW = Date.parse('2026-11-26T12:00:00Z');
let n = 0;
function incident(overrides: Partial<SimIncident> = {}): SimIncident {
  n += 1;
  const at = new Date(NOW - n * 60000).toISOString();
  return {
    id: `Q${n}`, number: n, title: `i${n}`, serviceId: 'PSVC001', escalationPolicyId: 'PEP0001', teamIds: ['PTM0001'], status: 'triggered', urgency: 'high',
    priorityId: null, incidentKey: `k${n}`, createdAt: at, updatedAt: at, lastStatusChangeAt: at, lastStatusChangeBy: { type: 'user', id: 'PUSR001' },
    resolvedAt: null, reopenedAt: null, assignments: [{ at, userId: 'PUSR001' }], assignedVia: 'escalation_policy', acknowledgements: [], escalationLevel: 1,
    bodyDetails: null, firstTriggerLogEntryId: 'R1', incidentType: 'incident_default', mergeable: true, mergedIntoId: null, ...overrides,
  };
}
const code = (f: () => unknown): number | undefined => { try { f(); return undefined; } catch (e) { return e instanceof PdError ? e.code : -1; } };

describe('classic pagination (FACTS §2.6)', () => {
  it('defaults to limit 25 offset 0, caps limit at 100, rejects offset+limit > 10000', () => {
    expect(parsePage({})).toEqual({ limit: 25, offset: 0, total: false });
    expect(parsePage({ limit: '1000' }).limit).toBe(100);
    expect(parsePage({ offset: '9900', limit: '100' })).toEqual({ limit: 100, offset: 9900, total: false });
    expect(code(() => parsePage({ offset: '9901', limit: '100' }))).toBe(2001);
    expect(code(() => parsePage({ limit: '-1' }))).toBe(2001);
    expect(parsePage({ total: 'true' }).total).toBe(true);
  });

  it('pages cover the list exactly once, in order, with `more` true until the last page', () => {
    fc.assert(fc.property(fc.array(fc.integer(), { maxLength: 300 }), fc.integer({ min: 1, max: 100 }), (items, limit) => {
      const seen: number[] = [];
      for (let offset = 0; ; offset += limit) {
        const page = paginate(items, { limit, offset, total: true });
        seen.push(...page.items);
        expect(page.total).toBe(items.length);
        if (!page.more) break;
      }
      expect(seen).toEqual(items);
    }));
  });
});

describe('GET /incidents filters', () => {
  it('incident_key also lists a keyless incident whose child alert has that alert_key (AS incident_key parameter)', () => {
    const keyed = incident({ incidentKey: 'db-down' });
    const grouped = incident({ incidentKey: null, alertKeys: ['db-down', 'cpu'] });
    const other = incident({ incidentKey: null, alertKeys: ['disk'] });
    const all = [keyed, grouped, other];
    expect(filterIncidents(all, { incident_key: 'db-down' }, NOW).map((i) => i.id).sort()).toEqual([keyed.id, grouped.id].sort());
    expect(filterIncidents(all, { incident_key: 'cpu' }, NOW)).toEqual([grouped]);
    expect(filterIncidents(all, { incident_key: 'nothing' }, NOW)).toEqual([]);
  });

  it('accepts key[]=a, repeated and comma-separated list parameters', () => {
    expect(listParam({ 'statuses[]': ['triggered', 'acknowledged'] }, 'statuses')).toEqual(['triggered', 'acknowledged']);
    expect(listParam({ statuses: 'triggered,resolved' }, 'statuses')).toEqual(['triggered', 'resolved']);
  });

  it('filters by status, urgency, service, team, incident_key; user_ids only matches open incidents', () => {
    const a = incident({ status: 'acknowledged', urgency: 'low' });
    const b = incident({ serviceId: 'PSVC002', teamIds: ['PTM0002'], incidentKey: 'disk' });
    const c = incident({ status: 'resolved', resolvedAt: new Date(NOW).toISOString(), assignments: [{ at: '', userId: 'PUSR001' }] });
    const all = [a, b, c];
    expect(filterIncidents(all, { 'statuses[]': 'acknowledged' }, NOW)).toEqual([a]);
    expect(filterIncidents(all, { 'urgencies[]': 'low' }, NOW)).toEqual([a]);
    expect(filterIncidents(all, { 'service_ids[]': 'PSVC002' }, NOW)).toEqual([b]);
    expect(filterIncidents(all, { 'team_ids[]': 'PTM0002' }, NOW)).toEqual([b]);
    expect(filterIncidents(all, { incident_key: 'disk' }, NOW)).toEqual([b]);
    expect(filterIncidents(all, { 'user_ids[]': 'PUSR001' }, NOW).map((i) => i.id).sort()).toEqual([a.id, b.id].sort());
    expect(code(() => filterIncidents(all, { 'statuses[]': 'open' }, NOW))).toBe(2001);
  });

  it('windows by created_at: the last 30 days by default, date_range=all for everything, at most 6 months', () => {
    const old = incident({ createdAt: new Date(NOW - 40 * 86400000).toISOString() });
    const recent = incident();
    expect(filterIncidents([old, recent], {}, NOW)).toEqual([recent]);
    expect(filterIncidents([old, recent], { date_range: 'all' }, NOW)).toHaveLength(2);
    expect(filterIncidents([old, recent], { since: new Date(NOW - 41 * 86400000).toISOString() }, NOW)).toHaveLength(2);
    expect(code(() => filterIncidents([], { since: '2020-01-01T00:00:00Z', until: '2021-01-01T00:00:00Z' }, NOW))).toBe(2001);
    expect(code(() => filterIncidents([], { since: 'yesterday' }, NOW))).toBe(2001);
  });

  it('sorts by up to two fields with :asc/:desc and rejects others', () => {
    const x = incident({ urgency: 'low' });
    const y = incident({ urgency: 'high' });
    const z = incident({ urgency: 'low' });
    expect(sortIncidents([x, y, z], 'urgency:desc,incident_number:desc').map((i) => i.id)).toEqual([y.id, z.id, x.id]);
    expect(sortIncidents([z, x, y], 'incident_number').map((i) => i.id)).toEqual([x.id, y.id, z.id]);
    expect(code(() => sortIncidents([], 'title'))).toBe(2001);
    expect(code(() => sortIncidents([], 'urgency,created_at,incident_number'))).toBe(2001);
  });
});

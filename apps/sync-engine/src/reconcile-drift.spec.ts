import { createLinkState, parsePagerDutyIncidentSnapshot, userMappingFromPairs, type IntegrationSettings } from '@incident-sync/sync-domain';
import { CARRIED_WINDOW_MAX_MS, driftOf, nextPassSince, pollingStamp } from './reconcile-drift';
import { passBudget, requestSpacingMs } from './reconcile.service';

const T0 = Date.parse('2026-12-01T10:00:00.000Z');
const settings: IntegrationSettings = {
  integrationId: 'int-1', direction: 'bidirectional', enabled: true, conflictStrategy: 'last-write-wins', priorityMapping: { P1: 'SEV-1', P2: 'SEV-2', P3: 'SEV-3' },
  userMapping: userMappingFromPairs([{ email: 'ann@example.com', pagerDutyUserId: 'PANN001' }]), botUserId: 'PBOT000', syncEscalations: false,
};
const state = () => createLinkState({
  linkId: 'link-1',
  platform: { values: { title: 'Checkout latency', description: null, severity: 'SEV-2', status: 'open', assigned_to: 'ann@example.com', escalation_policy: 'PEP1' }, version: 1, at: T0 },
  external: { values: { title: 'Checkout latency', description: null, severity: { urgency: 'high', priority: 'P2' }, status: 'triggered', assigned_to: 'PANN001', escalation_policy: 'PEP1' }, at: T0 },
}, settings, T0);
const rest = (over: Record<string, unknown> = {}) => ({
  id: 'PINC1', type: 'incident', title: 'Checkout latency', status: 'triggered', urgency: 'high', priority: { id: 'PP2', summary: 'P2' },
  assignments: [{ assignee: { id: 'PANN001', type: 'user_reference' } }], escalation_policy: { id: 'PEP2' }, updated_at: new Date(T0 + 60000).toISOString(), ...over,
});
const read = (over: Record<string, unknown> = {}) => parsePagerDutyIncidentSnapshot(rest(over), T0 + 60000, settings.priorityMapping);

describe('reconcile drift (what a PagerDuty read shows that the link has not seen)', () => {
  it('given a read equal to what the link saw, then no drift (escalation policy is not synced here)', () => {
    expect(driftOf(state(), read(), settings)).toEqual([]);
  });

  it('given a title and an urgency edited in PagerDuty (no webhook), then both are drift with the platform value and the last seen value', () => {
    const drift = driftOf(state(), read({ title: 'Checkout down', urgency: 'low' }), settings);
    expect(drift).toEqual([
      { field: 'title', platform: 'Checkout latency', pagerduty: 'Checkout down', lastSeen: 'Checkout latency' },
      { field: 'severity', platform: 'SEV-2', pagerduty: { urgency: 'low', priority: 'P2' }, lastSeen: { urgency: 'high', priority: 'P2' } },
    ]);
  });

  it('given PagerDuty holding the value of our write still in flight, then it is that write landing, not drift', () => {
    const s = state();
    s.fields.title.pending.external = [{ commandId: 'c1', value: 'Renamed on the platform', issuedAt: T0 + 1, basedOnStamp: T0 }];
    expect(driftOf(s, read({ title: 'Renamed on the platform' }), settings)).toEqual([]);
  });

  it('given an acknowledgement whose webhook was lost, then status is drift', () => {
    expect(driftOf(state(), read({ status: 'acknowledged' }), settings).map((d) => [d.field, d.pagerduty])).toEqual([['status', 'acknowledged']]);
  });

  it('dates a polled change by PagerDuty updated_at; without it, just after the newest PagerDuty event the link processed', () => {
    const s = state();
    expect(pollingStamp({ updated_at: '2026-12-01T10:05:00Z' }, s, new Date(T0))).toBe(Date.parse('2026-12-01T10:05:00Z'));
    s.lastExternalEventAt = T0 + 5000;
    expect(pollingStamp({}, s, new Date(T0))).toBe(T0 + 5001);
    s.lastExternalEventAt = null;
    expect(pollingStamp({ updated_at: 'not a time' }, s, new Date(T0 - 10))).toBe(T0 - 9);
  });

  it('places a whole-second updated_at after an event of the same second it contradicts, never beyond that second', () => {
    const s = state();
    s.lastExternalEventAt = Date.parse('2026-12-01T10:05:00.055Z');
    expect(pollingStamp({ updated_at: '2026-12-01T10:05:00Z' }, s, new Date(T0))).toBe(Date.parse('2026-12-01T10:05:00.056Z'));
    s.lastExternalEventAt = Date.parse('2026-12-01T10:05:00.999Z');
    expect(pollingStamp({ updated_at: '2026-12-01T10:05:00Z' }, s, new Date(T0))).toBe(Date.parse('2026-12-01T10:05:00.999Z'));
    s.lastExternalEventAt = Date.parse('2026-12-01T10:04:59.500Z');
    expect(pollingStamp({ updated_at: '2026-12-01T10:05:00Z' }, s, new Date(T0))).toBe(Date.parse('2026-12-01T10:05:00Z'));
    s.lastExternalEventAt = Date.parse('2026-12-01T10:05:00.055Z');
    expect(pollingStamp({ updated_at: '2026-12-01T10:05:00.010Z' }, s, new Date(T0))).toBe(Date.parse('2026-12-01T10:05:00.010Z'));
  });

  it('spends at most the configured share of the rate limit: budget per pass and spacing between reads', () => {
    expect(passBudget({ rateLimitPerMinute: 120, reconcileBudgetPercent: 10, reconcileIntervalSeconds: 300 })).toBe(60);
    expect(requestSpacingMs({ rateLimitPerMinute: 120, reconcileBudgetPercent: 10 })).toBe(5000);
    expect(passBudget({ rateLimitPerMinute: 120, reconcileBudgetPercent: 10, reconcileIntervalSeconds: 1 })).toBe(2);
    expect(requestSpacingMs({ rateLimitPerMinute: 960, reconcileBudgetPercent: 25 })).toBe(250);
  });
});

describe('nextPassSince', () => {
  const now = Date.parse('2026-12-03T18:20:21.000Z');
  const interval = 20000;

  it('given no pass yet, then the window starts one interval back', () => {
    expect(nextPassSince(null, now, interval)).toBe(now - interval);
  });

  it('given the last pass read everything, then the window starts a minute before it started', () => {
    const startedAt = now - 85000;
    expect(nextPassSince({ startedAt, since: startedAt - 54000, failed: false }, now, interval)).toBe(startedAt - 60000);
  });

  it('given the last pass\'s reads failed (a PostgreSQL restart), then the window starts where that pass\'s did, so what it missed is read again', () => {
    const startedAt = now - 85000;
    const since = startedAt - 114000;
    expect(nextPassSince({ startedAt, since, failed: true }, now, interval)).toBe(since);
  });

  it('given failed passes carried the window for long, then it starts at most an hour back', () => {
    expect(nextPassSince({ startedAt: now - 20000, since: now - 3 * CARRIED_WINDOW_MAX_MS, failed: true }, now, interval)).toBe(now - CARRIED_WINDOW_MAX_MS);
  });
});

import { planPagerDutyMerge, type PagerDutyMerge } from './pagerduty-merge';

const merge = (over: Partial<PagerDutyMerge> = {}): PagerDutyMerge => ({
  eventId: 'E1', occurredAt: 1_000, agentName: 'Alice',
  source: { pdIncidentId: 'QSRC', number: 7 }, target: { pdIncidentId: 'QTGT', number: 9 },
  sourcePlatformIncidentId: 'p-src', targetPlatformIncidentId: 'p-tgt', ...over,
});

describe('a PagerDuty merge (resolve_reason merge_resolve_reason)', () => {
  it('given a target linked to another platform incident, then the source resolves with a pointer to it on its timeline', () => {
    const plan = planPagerDutyMerge(merge());
    expect(plan.action).toBe('resolve-with-pointer');
    expect(plan.entry).toMatchObject({ kind: 'merged', author: 'Alice', occurredAt: 1_000 });
    expect(plan.entry.text).toBe('PagerDuty #7 was merged into PagerDuty #9 by Alice in PagerDuty; the work continues in platform incident p-tgt.');
  });

  it('given a target no platform incident follows, then the link moves to it and the timeline says so', () => {
    const plan = planPagerDutyMerge(merge({ targetPlatformIncidentId: null, agentName: null, target: { pdIncidentId: 'QTGT', number: null } }));
    expect(plan.action).toBe('move-link');
    expect(plan.entry.text).toBe('PagerDuty #7 was merged into PagerDuty incident QTGT in PagerDuty; this incident now follows PagerDuty incident QTGT.');
  });

  it('given a target linked to this very platform incident, then nothing points elsewhere: the link follows the target', () => {
    expect(planPagerDutyMerge(merge({ targetPlatformIncidentId: 'p-src' })).action).toBe('move-link');
  });

  it('one entry per source and target however often the resolve is reported (webhook, then a reconcile read)', () => {
    expect(planPagerDutyMerge(merge({ eventId: 'E1' })).entry.dedupeKey).toBe(planPagerDutyMerge(merge({ eventId: 'reconcile-2' })).entry.dedupeKey);
  });
});

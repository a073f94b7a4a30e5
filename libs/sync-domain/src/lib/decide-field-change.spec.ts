import { acknowledgeWrite } from './acknowledge-write';
import { decideInbound } from './decide-inbound';
import { decideOutbound } from './decide-outbound';
import { parsePagerDutyIncidentSnapshot } from './parse-pagerduty-event';
import type { ConflictStrategy, IntegrationSettings } from '../index';
import {
  T0,
  externalValues,
  linkedState,
  pagerDutyEvent,
  PRIORITY_MAPPING,
  settings,
  userChange,
  webhook,
} from '../testing/sync-builders';

/**
 * The platform retitles the incident at `platformAt`; PagerDuty (which shows titles only in
 * webhook snapshots) acknowledges it with another title at `pagerDutyAt`, before either
 * change reached the other side. The platform change is processed first.
 */
function concurrentTitles(config: IntegrationSettings, platformAt: number, pagerDutyAt: number) {
  const platform = decideOutbound(
    linkedState(config),
    userChange(2, platformAt, { title: { old: 'Checkout latency', new: 'Platform title' } }),
    config,
    T0 + 100,
  );
  const pagerDuty = decideInbound(
    platform.state,
    pagerDutyEvent('incident.acknowledged', externalValues({ title: 'PagerDuty title', status: 'acknowledged' }), { at: pagerDutyAt }),
    config,
    T0 + 101,
  );
  return { platform, pagerDuty };
}

const strategy = (conflictStrategy: ConflictStrategy, overrides: Partial<IntegrationSettings> = {}) =>
  settings({ conflictStrategy, ...overrides });

describe('conflict resolution', () => {
  describe('last-write-wins', () => {
    it('given both sides retitled the incident concurrently, when PagerDuty’s change is later, then PagerDuty’s title wins and the platform is overwritten', () => {
      const { pagerDuty } = concurrentTitles(strategy('last-write-wins'), T0 + 10, T0 + 20);
      expect(pagerDuty.platformWrite?.set).toMatchObject({ title: 'PagerDuty title' });
      expect(pagerDuty.decisions.find((d) => d.field === 'title')).toMatchObject({ outcome: 'conflict-won-by-external' });
    });

    it('given both sides retitled the incident concurrently, when the platform’s change is later, then the platform’s title is written back to PagerDuty', () => {
      const { pagerDuty } = concurrentTitles(strategy('last-write-wins'), T0 + 20, T0 + 10);
      expect(pagerDuty.platformWrite?.set.title).toBeUndefined();
      expect(pagerDuty.externalWrite?.update.title).toBe('Platform title');
      const title = pagerDuty.decisions.find((d) => d.field === 'title');
      expect(title?.outcome).toBe('conflict-won-by-platform');
      expect(title?.reason).toBe(
        'Both sides changed title since they last agreed: PagerDuty changed title to "PagerDuty title" (platform: "PagerDuty title") at 2025-03-01T10:00:00.010Z by User PHUMAN1, while the platform had changed it to "Platform title" at 2025-03-01T10:00:00.020Z. Last write wins: PagerDuty\'s change is the earlier one. PagerDuty is overwritten with "Platform title".',
      );
    });

    it('given late webhooks, when PagerDuty held the platform’s new value only before the platform set it (A → B → A), then its later-but-older edit still loses to the platform’s newer one', () => {
      // Fault run 7: PagerDuty had P1 at :50 and moved to P3 at :53; the platform set SEV-1 at
      // :54 and our P1 landed at :60; the webhooks arrived after all that. The :50 value
      // "confirmed" the platform's target, so the :53 edit looked as if made after seeing it,
      // and it overwrote the user's newer edit on both sides.
      const config = strategy('last-write-wins');
      const platform = decideOutbound(linkedState(config), userChange(2, T0 + 54, { severity: { old: 'SEV-2', new: 'SEV-1' } }), config, T0 + 55);
      expect(platform.externalWrite?.update).toMatchObject({ urgency: 'high', priority: 'P1' });
      const landed = acknowledgeWrite(platform.state, { side: 'external', commandId: platform.externalWrite?.commandId ?? '', stamp: T0 + 60 }, config, T0 + 61);
      const coincidence = decideInbound(landed.state, pagerDutyEvent('incident.priority_updated', externalValues({ severity: { urgency: 'high', priority: 'P1' } }), { at: T0 + 50 }), config, T0 + 101);
      expect(coincidence.decisions.find((d) => d.field === 'severity')?.outcome).toBe('no-change');
      const older = decideInbound(coincidence.state, pagerDutyEvent('incident.priority_updated', externalValues({ severity: { urgency: 'high', priority: 'P3' } }), { at: T0 + 53, id: 'later' }), config, T0 + 102);
      expect(older.decisions.find((d) => d.field === 'severity')?.outcome).toBe('conflict-won-by-platform');
      expect(older.platformWrite?.set.severity).toBeUndefined();
    });

    it('given both changes carry the same millisecond, then the tie goes to the field owner (the platform owns the title by default)', () => {
      const { pagerDuty } = concurrentTitles(strategy('last-write-wins'), T0 + 10, T0 + 10);
      expect(pagerDuty.decisions.find((d) => d.field === 'title')?.outcome).toBe('conflict-won-by-platform');
    });

    it('given the same tie but PagerDuty owns the title, then PagerDuty wins', () => {
      const config = strategy('last-write-wins', { fieldOwnership: { title: { owner: 'external', priority: 1 } } });
      const { pagerDuty } = concurrentTitles(config, T0 + 10, T0 + 10);
      expect(pagerDuty.decisions.find((d) => d.field === 'title')?.outcome).toBe('conflict-won-by-external');
    });
  });

  describe('ownership-priority', () => {
    it('given the platform owns the title, when PagerDuty’s concurrent change is even later, then the platform’s title still wins', () => {
      const { pagerDuty } = concurrentTitles(strategy('ownership-priority'), T0 + 10, T0 + 20);
      expect(pagerDuty.decisions.find((d) => d.field === 'title')?.outcome).toBe('conflict-won-by-platform');
      expect(pagerDuty.externalWrite?.update.title).toBe('Platform title');
    });

    it('given PagerDuty owns the title, when the platform’s concurrent change is later, then PagerDuty’s title wins', () => {
      const config = strategy('ownership-priority', { fieldOwnership: { title: { owner: 'external', priority: 1 } } });
      const { pagerDuty } = concurrentTitles(config, T0 + 20, T0 + 10);
      expect(pagerDuty.platformWrite?.set.title).toBe('PagerDuty title');
      expect(pagerDuty.decisions.find((d) => d.field === 'title')?.reason).toContain('PagerDuty owns title, so its value wins.');
    });

    it('given the platform owns the title, when PagerDuty changes it after having received the platform’s value, then that later change is copied (ownership only settles conflicts)', () => {
      const config = strategy('ownership-priority');
      const platform = decideOutbound(linkedState(config), userChange(2, T0 + 10, { title: { old: 'Checkout latency', new: 'Platform title' } }), config, T0 + 11);
      // PagerDuty confirms our write, then a person edits the title there.
      const confirmed = decideInbound(platform.state, pagerDutyEvent('incident.acknowledged', externalValues({ title: 'Platform title', status: 'acknowledged' }), { at: T0 + 20 }), config, T0 + 21);
      const later = decideInbound(confirmed.state, pagerDutyEvent('incident.resolved', externalValues({ title: 'Later PagerDuty title', status: 'resolved' }), { at: T0 + 30 }), config, T0 + 31);
      expect(later.platformWrite?.set.title).toBe('Later PagerDuty title');
    });
  });

  describe('manual-review', () => {
    it('given a reconcile read already applied PagerDuty\'s edit (REST times have whole seconds), when that edit\'s webhook arrives after a later platform edit, then it is the same edit, not a concurrent one: no conflict', () => {
      // Fault tier seed 67075789: unacknowledged at :53.334, its webhook delayed; a reconcile read
      // (updated_at :53) applied triggered; the platform then set mitigated at :64.765, which we
      // wrote to PagerDuty; the :53.334 webhook then opened a conflict against that newer edit.
      const config = strategy('manual-review');
      const start = decideInbound(linkedState(config), pagerDutyEvent('incident.acknowledged', externalValues({ status: 'acknowledged' }), { at: T0 + 10_000 }), config, T0 + 10_100);
      const polled = parsePagerDutyIncidentSnapshot(webhook('incident.updated', externalValues({ status: 'triggered' }), { at: T0 }).event['data'], T0 + 53_000, PRIORITY_MAPPING);
      const repaired = decideInbound(start.state, polled, config, T0 + 55_990);
      expect(repaired.platformWrite?.set.status).toBe('open');
      const platform = decideOutbound(repaired.state, userChange(3, T0 + 64_765, { status: { old: 'open', new: 'mitigated' } }), config, T0 + 64_800);
      expect(platform.externalWrite?.update.status).toBe('acknowledged');
      const landed = acknowledgeWrite(platform.state, { side: 'external', commandId: platform.externalWrite?.commandId ?? '', stamp: T0 + 64_900 }, config, T0 + 64_936);
      const late = decideInbound(landed.state, pagerDutyEvent('incident.unacknowledged', externalValues({ status: 'triggered' }), { at: T0 + 53_334 }), config, T0 + 106_016);
      expect(late.conflictsOpened).toEqual([]);
      expect(late.decisions.find((d) => d.field === 'status')?.outcome).toBe('stale');
      expect(late.platformWrite?.set.status).toBeUndefined();
    });

    it('given a reconcile read applied PagerDuty\'s value, when a webhook of another value from that same second arrives late, then it is still decided as a change (only the read\'s own value is taken as seen)', () => {
      const config = strategy('manual-review');
      const start = decideInbound(linkedState(config), pagerDutyEvent('incident.acknowledged', externalValues({ status: 'acknowledged' }), { at: T0 + 10_000 }), config, T0 + 10_100);
      const polled = parsePagerDutyIncidentSnapshot(webhook('incident.updated', externalValues({ status: 'triggered' }), { at: T0 }).event['data'], T0 + 53_000, PRIORITY_MAPPING);
      const repaired = decideInbound(start.state, polled, config, T0 + 55_990);
      const late = decideInbound(repaired.state, pagerDutyEvent('incident.priority_updated', externalValues({ status: 'triggered', severity: { urgency: 'high', priority: 'P1' } }), { at: T0 + 53_334 }), config, T0 + 56_000);
      expect(late.platformWrite?.set.severity).toBe('SEV-1');
    });

    it('given both sides changed the title concurrently, then the title is frozen, a conflict is opened and nothing is written for it', () => {
      const { pagerDuty } = concurrentTitles(strategy('manual-review'), T0 + 10, T0 + 20);
      expect(pagerDuty.conflictsOpened).toHaveLength(1);
      expect(pagerDuty.conflictsOpened[0]).toMatchObject({
        field: 'title',
        status: 'open',
        platform: { value: 'Platform title', changedAt: T0 + 10 },
        external: { value: 'PagerDuty title', asPlatform: { value: 'PagerDuty title' }, changedAt: T0 + 20 },
      });
      expect(pagerDuty.platformWrite?.set.title).toBeUndefined();
      expect(pagerDuty.externalWrite?.update.title).toBeUndefined();
      expect(pagerDuty.state.fields.title.conflictId).toBe(pagerDuty.conflictsOpened[0]?.id);
    });

    it('given a frozen title, then other fields in the same webhook keep syncing (the acknowledgement still reaches the platform)', () => {
      const { pagerDuty } = concurrentTitles(strategy('manual-review'), T0 + 10, T0 + 20);
      expect(pagerDuty.platformWrite?.set).toEqual({ status: 'mitigated' });
    });

    it('given a frozen title, when either side changes it again, then the conflict record is updated and still nothing is written', () => {
      const config = strategy('manual-review');
      const { pagerDuty } = concurrentTitles(config, T0 + 10, T0 + 20);
      const again = decideOutbound(pagerDuty.state, userChange(3, T0 + 30, { title: { old: 'Platform title', new: 'Third title' } }), config, T0 + 31);
      expect(again.externalWrite).toBeNull();
      expect(again.decisions[0]?.outcome).toBe('held-by-conflict');
      expect(again.state.conflicts[0]?.platform).toEqual({ value: 'Third title', changedAt: T0 + 30 });
    });

    it('given both sides changed the title to the same text, then there is no conflict', () => {
      const config = strategy('manual-review');
      const platform = decideOutbound(linkedState(config), userChange(2, T0 + 10, { title: { old: 'Checkout latency', new: 'Same' } }), config, T0 + 11);
      const pagerDuty = decideInbound(platform.state, pagerDutyEvent('incident.acknowledged', externalValues({ title: 'Same', status: 'acknowledged' }), { at: T0 + 20 }), config, T0 + 21);
      expect(pagerDuty.conflictsOpened).toEqual([]);
    });
  });

  it('given the platform moved a resolved incident to closed while PagerDuty reopened it, then PagerDuty’s reopen stands (closed and resolved look the same on PagerDuty)', () => {
    const config = strategy('ownership-priority');
    const state = linkedState(config, { platform: { status: 'resolved' }, external: { status: 'resolved' } });
    const reopened = decideInbound(state, pagerDutyEvent('incident.reopened', externalValues({ status: 'triggered' }), { at: T0 + 10 }), config, T0 + 11);
    const closed = decideOutbound(reopened.state, userChange(2, T0 + 12, { status: { old: 'resolved', new: 'closed' } }), config, T0 + 13);
    expect(closed.decisions[0]?.outcome).toBe('no-change');
    expect(closed.platformWrite?.set).toEqual({ status: 'open' });
  });
});

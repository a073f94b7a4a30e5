import { abandonWrite } from './abandon-write';
import { acknowledgeWrite } from './acknowledge-write';
import { decideInbound } from './decide-inbound';
import { decideOutbound } from './decide-outbound';
import type { ConflictStrategy } from './integration-settings';
import { BOT, T0, externalValues, linkedState, pagerDutyEvent, settings, userChange } from '../testing/sync-builders';

// Issue #13 (1): a person's PagerDuty edit made after our write had landed was taken as
// concurrent with it whenever the dispatcher's result came back after the next webhook (a slow
// answer, a retried request), so a platform-owned field reverted it and manual review queued a
// conflict nobody had caused. These pin the sequential and the concurrent case apart.

const titleOnPagerDuty = (strategy: ConflictStrategy) => {
  const config = settings({ conflictStrategy: strategy });
  // The platform retitles at T0+10; we send it at T0+11 (PagerDuty stores it at T0+15).
  const platform = decideOutbound(linkedState(config), userChange(2, T0 + 10, { title: { old: 'Checkout latency', new: 'Platform title' } }), config, T0 + 11);
  const commandId = platform.externalWrite?.commandId ?? '';
  // A responder, seeing "Platform title", retitles it and acknowledges at T0+30 (titles have no
  // webhook of their own; the acknowledgement's snapshot shows it) — before our result is back.
  const pagerDuty = decideInbound(
    platform.state,
    pagerDutyEvent('incident.acknowledged', externalValues({ title: 'Responder title', status: 'acknowledged' }), { at: T0 + 30 }),
    config,
    T0 + 31,
  );
  return { config, commandId, pagerDuty };
};

describe('a PagerDuty change while our write is in flight', () => {
  it('given a platform-owned title sent to PagerDuty, when a responder retitles before our result comes back, then the change waits: nothing is written and no conflict opens', () => {
    const { pagerDuty } = titleOnPagerDuty('ownership-priority');
    const title = pagerDuty.decisions.find((d) => d.field === 'title');
    expect(title?.outcome).toBe('awaiting-write');
    expect(pagerDuty.platformWrite?.set.title).toBeUndefined();
    expect(pagerDuty.externalWrite?.update.title).toBeUndefined();
    expect(pagerDuty.conflictsOpened).toEqual([]);
    // The acknowledgement itself (status) is not held back.
    expect(pagerDuty.platformWrite?.set.status).toBe('mitigated');
  });

  it.each<ConflictStrategy>(['ownership-priority', 'manual-review', 'last-write-wins'])(
    'given that waiting change (%s), when our result says the write landed before it, then it was a later edit: it is copied to the platform and nothing conflicts',
    (strategy) => {
      const { config, commandId, pagerDuty } = titleOnPagerDuty(strategy);
      const ack = acknowledgeWrite(pagerDuty.state, { side: 'external', commandId, stamp: T0 + 15 }, config, T0 + 40);
      expect(ack.platformWrite?.set.title).toBe('Responder title');
      expect(ack.externalWrite).toBeNull();
      expect(ack.conflictsOpened).toEqual([]);
      expect(ack.decisions.find((d) => d.field === 'title' && d.outcome === 'applied')).toBeDefined();
      expect(ack.state.fields.title.awaiting ?? null).toBeNull();
    },
  );

  it('given that waiting change under a platform-owned title, when our result says the write landed after it (it overwrote the responder), then the conflict rule keeps the platform title', () => {
    const { config, commandId, pagerDuty } = titleOnPagerDuty('ownership-priority');
    const ack = acknowledgeWrite(pagerDuty.state, { side: 'external', commandId, stamp: T0 + 35 }, config, T0 + 40);
    expect(ack.decisions.find((d) => d.field === 'title' && d.outcome === 'conflict-won-by-platform')).toBeDefined();
    expect(ack.platformWrite).toBeNull();
    // PagerDuty already holds the platform title (our write landed last): nothing to resend.
    expect(ack.externalWrite).toBeNull();
  });

  it('given that waiting change under manual review, when our write landed after it, then a conflict opens for the operator', () => {
    const { config, commandId, pagerDuty } = titleOnPagerDuty('manual-review');
    const ack = acknowledgeWrite(pagerDuty.state, { side: 'external', commandId, stamp: T0 + 35 }, config, T0 + 40);
    expect(ack.conflictsOpened.map((c) => c.field)).toEqual(['title']);
  });

  it('given that waiting change, when our write is abandoned (it never landed), then the two edits were concurrent and the conflict rule decides', () => {
    const { config, commandId, pagerDuty } = titleOnPagerDuty('ownership-priority');
    const abandoned = abandonWrite(pagerDuty.state, { side: 'external', commandId, reason: 'discarded' }, config, T0 + 40);
    expect(abandoned.decisions.find((d) => d.field === 'title' && d.outcome === 'conflict-won-by-platform')).toBeDefined();
    expect(abandoned.externalWrite?.update.title).toBe('Platform title');
  });

  it('given a change waiting for our write, when a later PagerDuty change to the field arrives, then only the later one waits and it alone is decided', () => {
    const { config, commandId, pagerDuty } = titleOnPagerDuty('ownership-priority');
    const later = decideInbound(
      pagerDuty.state,
      pagerDutyEvent('incident.escalated', externalValues({ title: 'Second title', status: 'acknowledged' }), { at: T0 + 50 }),
      config,
      T0 + 51,
    );
    expect(later.decisions.find((d) => d.field === 'title')?.outcome).toBe('awaiting-write');
    const ack = acknowledgeWrite(later.state, { side: 'external', commandId, stamp: T0 + 15 }, config, T0 + 60);
    expect(ack.platformWrite?.set.title).toBe('Second title');
  });

  it('given a PagerDuty change made before our write was even sent, then it is concurrent at once (no waiting)', () => {
    const config = settings({ conflictStrategy: 'ownership-priority' });
    const platform = decideOutbound(linkedState(config), userChange(2, T0 + 10, { title: { old: 'Checkout latency', new: 'Platform title' } }), config, T0 + 40);
    const pagerDuty = decideInbound(
      platform.state,
      pagerDutyEvent('incident.acknowledged', externalValues({ title: 'Responder title', status: 'acknowledged' }), { at: T0 + 30 }),
      config,
      T0 + 41,
    );
    expect(pagerDuty.decisions.find((d) => d.field === 'title')?.outcome).toBe('conflict-won-by-platform');
  });

  it('given a platform severity sent to PagerDuty, when a responder’s priority change arrives before our bot’s own priority event, then our event orders them and the responder’s priority is copied', () => {
    const config = settings({ conflictStrategy: 'manual-review' });
    const platform = decideOutbound(linkedState(config), userChange(2, T0 + 10, { severity: { old: 'SEV-2', new: 'SEV-1' } }), config, T0 + 11);
    const sent = platform.externalWrite?.update;
    expect(sent?.priority).toBe('P1');
    const responder = decideInbound(
      platform.state,
      pagerDutyEvent('incident.priority_updated', externalValues({ severity: { urgency: 'high', priority: 'P3' } }), { at: T0 + 30 }),
      config,
      T0 + 31,
    );
    expect(responder.decisions.find((d) => d.field === 'severity')?.outcome).toBe('awaiting-write');
    const echo = decideInbound(
      responder.state,
      pagerDutyEvent('incident.priority_updated', externalValues({ severity: { urgency: 'high', priority: 'P1' } }), { at: T0 + 15, agent: BOT }),
      config,
      T0 + 32,
    );
    expect(echo.platformWrite?.set.severity).toBe('SEV-3');
    expect(echo.conflictsOpened).toEqual([]);
  });
});

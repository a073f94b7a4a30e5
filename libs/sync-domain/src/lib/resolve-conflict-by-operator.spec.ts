import { decideInbound } from './decide-inbound';
import { decideOutbound } from './decide-outbound';
import { resolveConflict } from './resolve-conflict-by-operator';
import type { OperatorDecision } from './link-state.types';
import { T0, externalValues, linkedState, pagerDutyEvent, settings, userChange } from '../testing/sync-builders';

const config = settings({ conflictStrategy: 'manual-review' });

/**
 * Platform: "Platform title" at T0+10, sent to PagerDuty at T0+25; PagerDuty: "PagerDuty title" at
 * T0+20, before our write was sent, so neither saw the other's change — a conflict.
 */
function frozenTitle() {
  const platform = decideOutbound(linkedState(config), userChange(2, T0 + 10, { title: { old: 'Checkout latency', new: 'Platform title' } }), config, T0 + 25);
  const pagerDuty = decideInbound(platform.state, pagerDutyEvent('incident.escalated', externalValues({ title: 'PagerDuty title' }), { at: T0 + 20 }), config, T0 + 26);
  const conflict = pagerDuty.conflictsOpened[0];
  if (conflict === undefined) throw new Error('expected a conflict');
  return { state: pagerDuty.state, conflictId: conflict.id };
}

describe('resolveConflict (manual-review)', () => {
  it.each<[string, OperatorDecision, { platform?: string; external?: string }]>([
    ['takes the platform’s value', { kind: 'take-platform' }, { external: 'Platform title' }],
    // Our earlier write of the platform title is still in flight and could land after
    // PagerDuty's edit, so PagerDuty's title is re-asserted behind it.
    ['takes PagerDuty’s value', { kind: 'take-external' }, { platform: 'PagerDuty title', external: 'PagerDuty title' }],
    ['types a new title', { kind: 'take-value', value: 'Agreed title' }, { platform: 'Agreed title', external: 'Agreed title' }],
  ])('given a frozen title, when an operator %s, then the field is released and the side that differs is written', (_what, decision, writes) => {
    const { state, conflictId } = frozenTitle();
    const resolved = resolveConflict(state, conflictId, decision, config, T0 + 30, 'oncall-lead');
    expect(resolved.platformWrite?.set.title).toBe(writes.platform);
    expect(resolved.externalWrite?.update.title).toBe(writes.external);
    expect(resolved.state.fields.title.conflictId).toBeNull();
    expect(resolved.state.conflicts[0]).toMatchObject({ status: 'resolved', resolution: { decision, at: T0 + 30, by: 'oncall-lead' } });
    expect(resolved.decisions[0]?.reason).toMatch(/^Operator oncall-lead resolved conflict link-1\/conflict\/\d+ on title by taking/);
  });

  it('given a frozen title, when an operator ignores the conflict, then nothing is written and later changes sync again', () => {
    const { state, conflictId } = frozenTitle();
    const ignored = resolveConflict(state, conflictId, { kind: 'ignore' }, config, T0 + 30);
    expect(ignored.platformWrite).toBeNull();
    expect(ignored.externalWrite).toBeNull();
    const next = decideOutbound(ignored.state, userChange(3, T0 + 40, { title: { old: 'Platform title', new: 'Final title' } }), config, T0 + 41);
    expect(next.externalWrite?.update.title).toBe('Final title');
    expect(next.conflictsOpened).toEqual([]);
  });

  it('given an unknown conflict id, then the decision is rejected and nothing changes', () => {
    const { state } = frozenTitle();
    const rejected = resolveConflict(state, 'nope', { kind: 'take-platform' }, config, T0 + 30);
    expect(rejected.decisions[0]?.outcome).toBe('conflict-rejected');
    expect(rejected.state).toEqual(state);
  });

  it('given an operator types an invalid value (an empty title), then the decision is rejected and the field stays frozen', () => {
    const { state, conflictId } = frozenTitle();
    const rejected = resolveConflict(state, conflictId, { kind: 'take-value', value: '   ' }, config, T0 + 30);
    expect(rejected.decisions[0]?.outcome).toBe('conflict-rejected');
    expect(rejected.state.fields.title.conflictId).toBe(conflictId);
    expect(rejected.platformWrite).toBeNull();
  });

  it('given a conflict already resolved, when it is resolved again, then the second decision is rejected', () => {
    const { state, conflictId } = frozenTitle();
    const once = resolveConflict(state, conflictId, { kind: 'take-platform' }, config, T0 + 30);
    const twice = resolveConflict(once.state, conflictId, { kind: 'take-external' }, config, T0 + 31);
    expect(twice.decisions[0]?.outcome).toBe('conflict-rejected');
    expect(twice.externalWrite).toBeNull();
    expect(twice.platformWrite).toBeNull();
  });

  it('given PagerDuty’s competing assignee is nobody, when the operator takes PagerDuty’s value, then the platform is unassigned', () => {
    const platform = decideOutbound(linkedState(config), userChange(2, T0 + 10, { assigned_to: { old: 'ann@example.com', new: 'bob@example.com' } }), config, T0 + 25);
    const pagerDuty = decideInbound(platform.state, pagerDutyEvent('incident.reassigned', externalValues({ assigned_to: 'PCY0003' }), { at: T0 + 20 }), config, T0 + 26);
    const conflictId = pagerDuty.conflictsOpened[0]?.id ?? '';
    const resolved = resolveConflict(pagerDuty.state, conflictId, { kind: 'take-external' }, config, T0 + 30);
    expect(resolved.platformWrite?.set).toEqual({ assigned_to: 'cy@example.com' });
  });
});

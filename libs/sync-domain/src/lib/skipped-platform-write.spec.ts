import { decideInbound } from './decide-inbound';
import { decideOutbound } from './decide-outbound';
import { skippedPlatformWrite } from './skipped-platform-write';
import { T0, externalValues, linkedState, pagerDutyEvent, settings, userChange } from '../testing/sync-builders';
import type { PlatformFieldValues } from './sync-field.types';

const config = settings({ conflictStrategy: 'last-write-wins' });
const snapshot = (version: number, fields: Partial<PlatformFieldValues>) => ({
  version,
  occurredAt: T0 + 500,
  fields: { title: 'Checkout latency', description: 'p99 above 2s', severity: 'SEV-2', status: 'open', assigned_to: 'ann@example.com', escalation_policy: 'PEP1', ...fields } as PlatformFieldValues,
});

describe('skippedPlatformWrite', () => {
  /**
   * Fault run 8: PagerDuty reassigned to bob at :29 while, on the platform, cy had been
   * assigned at :27:50 — an edit the engine saw only minutes later. Our write of bob carried
   * the stale base (ann) and was skipped; cy's edit, decided afterwards, lost to PagerDuty's
   * later bob (last write wins), and the write of bob it caused was skipped too (its base was
   * the earlier pending bob). The skips were only dropped: the platform kept cy, PagerDuty bob.
   */
  function stuck() {
    const reassigned = decideInbound(linkedState(config), pagerDutyEvent('incident.reassigned', externalValues({ assigned_to: 'PBOB002' }), { at: T0 + 290 }), config, T0 + 300);
    const first = reassigned.platformWrite?.commandId ?? '';
    const cy = decideOutbound(reassigned.state, userChange(3, T0 + 278, { assigned_to: { old: 'ann@example.com', new: 'cy@example.com' } }), config, T0 + 400);
    return { first, second: cy.platformWrite?.commandId ?? null, state: cy.state, cy };
  }

  it('given both writes skipped as changed since, when the last skip is reported, then the winner is written again on the platform’s current value', () => {
    const { first, second, state, cy } = stuck();
    expect(cy.decisions.find((d) => d.field === 'assigned_to')?.outcome).toBe('conflict-won-by-external');
    expect(second).not.toBeNull();
    const afterFirst = skippedPlatformWrite(state, { side: 'platform', commandId: first, fields: ['assigned_to'], changedSince: ['assigned_to'] }, snapshot(3, { assigned_to: 'cy@example.com' }), config, T0 + 401);
    // The second write is still in flight: nothing is written yet.
    expect(afterFirst.platformWrite).toBeNull();
    const afterSecond = skippedPlatformWrite(afterFirst.state, { side: 'platform', commandId: second ?? '', fields: ['assigned_to'], changedSince: ['assigned_to'] }, snapshot(3, { assigned_to: 'cy@example.com' }), config, T0 + 402);
    expect(afterSecond.platformWrite?.set).toEqual({ assigned_to: 'bob@example.com' });
    expect(afterSecond.state.fields.assigned_to.platform?.value).toBe('cy@example.com');
    expect(afterSecond.decisions.map((d) => d.outcome)).toEqual(['write-abandoned', 'applied']);
    expect(afterSecond.externalWrite).toBeNull();
  });

  it('given the person’s edit won, when our skipped write is reported, then nothing is written again', () => {
    const own = settings({ conflictStrategy: 'ownership-priority', fieldOwnership: { assigned_to: { owner: 'platform', priority: 0 } } });
    const reassigned = decideInbound(linkedState(own), pagerDutyEvent('incident.reassigned', externalValues({ assigned_to: 'PBOB002' }), { at: T0 + 290 }), own, T0 + 300);
    const cy = decideOutbound(reassigned.state, userChange(3, T0 + 278, { assigned_to: { old: 'ann@example.com', new: 'cy@example.com' } }), own, T0 + 400);
    expect(cy.state.fields.assigned_to.target?.platform).toBe('cy@example.com');
    const after = skippedPlatformWrite(cy.state, { side: 'platform', commandId: reassigned.platformWrite?.commandId ?? '', fields: ['assigned_to'], changedSince: ['assigned_to'] }, snapshot(3, { assigned_to: 'cy@example.com' }), own, T0 + 401);
    expect(after.platformWrite).toBeNull();
    // Only the write of cy that the decision made (over our skipped bob) remains; it lands as a no-op.
    expect(after.state.fields.assigned_to.pending.platform.map((w) => w.value)).toEqual(['cy@example.com']);
  });

  it('given a refused status transition, then the write is abandoned and never sent again', () => {
    const { first, state } = stuck();
    const after = skippedPlatformWrite(state, { side: 'platform', commandId: first, fields: ['assigned_to'], changedSince: [] }, snapshot(3, { assigned_to: 'cy@example.com' }), config, T0 + 401);
    expect(after.platformWrite).toBeNull();
    expect(after.decisions.map((d) => d.outcome)).toEqual(['write-abandoned']);
  });
});

import {
  SYNC_FIELDS,
  type ConflictStrategy,
  type FieldOwnership,
} from './index';
import { settings } from './testing/sync-builders';
import { SyncSimulation, type SimAction } from './testing/sync-simulation';

// Counterexamples the property tests in sync-convergence.spec.ts found (shrunk by fast-check),
// replayed step by step through the same simulation so they stay fixed.

const ALL_PLATFORM_OWNED: FieldOwnership = Object.fromEntries(
  SYNC_FIELDS.map((field) => [field, { owner: 'platform', priority: 100 }]),
) as FieldOwnership;

function simulate(
  strategy: ConflictStrategy,
  actions: readonly SimAction[],
  choice = 0,
  ownership: FieldOwnership = ALL_PLATFORM_OWNED,
): SyncSimulation {
  const sim = new SyncSimulation(settings({ conflictStrategy: strategy, fieldOwnership: ownership, botUserId: 'PBOT000' }));
  sim.run(actions);
  sim.finish(choice);
  return sim;
}

const pendingWrites = (sim: SyncSimulation): number =>
  SYNC_FIELDS.reduce(
    (n, field) => n + sim.state.fields[field].pending.platform.length + sim.state.fields[field].pending.external.length,
    0,
  );

function expectConverged(sim: SyncSimulation): void {
  expect(sim.violations).toEqual([]);
  expect(sim.divergentFields()).toEqual([]);
  expect(pendingWrites(sim)).toBe(0);
  expect(sim.openConflicts()).toEqual([]);
}

describe('sync convergence regressions', () => {
  it('given a PagerDuty priority edit copied as SEV-4 and our urgency re-alignment landed, when a person then raises the urgency and moves the priority to another SEV-4 priority (P4 → P5), then PagerDuty is re-aligned and both incidents agree on severity (last-write-wins, seed -2083745526)', () => {
    const sim = simulate('last-write-wins', [
      { kind: 'pagerduty-edit', what: 'priority', pick: 3 }, // P4 on a high-urgency incident
      { kind: 'deliver', pick: 0, duplicate: false }, // → SEV-4, PagerDuty urgency low is written
      { kind: 'apply-pagerduty-command' }, // urgency low lands (no webhook for urgency)
      { kind: 'pagerduty-edit', what: 'urgency', pick: 0 }, // a person sets urgency high (no webhook)
      { kind: 'pagerduty-edit', what: 'priority', pick: 9 }, // then P5 (also SEV-4)
      { kind: 'deliver', pick: 7, duplicate: false }, // the P5 webhook arrives before our acknowledgement
    ]);

    expectConverged(sim);
  });

  it('given platform status edits and PagerDuty reassignments and a status change interleaved with our writes, when deliveries stop under ownership-priority, then both incidents agree on status (seed 1610898262)', () => {
    const sim = simulate('ownership-priority', [
      { kind: 'platform-edit', field: 'status', pick: 2 },
      { kind: 'platform-edit', field: 'status', pick: 0 },
      { kind: 'platform-edit', field: 'description', pick: 0 },
      { kind: 'pagerduty-edit', what: 'assignee', pick: 4 },
      { kind: 'platform-edit', field: 'title', pick: 10 },
      { kind: 'platform-edit', field: 'status', pick: 2 },
      { kind: 'deliver', pick: 0, duplicate: false },
      { kind: 'apply-pagerduty-command' },
      { kind: 'deliver', pick: 0, duplicate: false },
      { kind: 'deliver', pick: 0, duplicate: false },
      { kind: 'apply-pagerduty-command' },
      { kind: 'deliver', pick: 7, duplicate: false },
      { kind: 'deliver', pick: 0, duplicate: false },
      { kind: 'pagerduty-edit', what: 'escalation_policy', pick: 3 },
      { kind: 'deliver', pick: 0, duplicate: false },
      { kind: 'apply-platform-command' },
      { kind: 'pagerduty-edit', what: 'assignee', pick: 0 },
      { kind: 'deliver', pick: 12, duplicate: false },
      { kind: 'pagerduty-edit', what: 'status', pick: 1 },
      { kind: 'apply-platform-command' },
      { kind: 'apply-pagerduty-command' },
      { kind: 'deliver', pick: 14, duplicate: false },
    ]);

    expectConverged(sim);
  });

  it('given two PagerDuty priority edits around our re-alignment write, when our own writes come back under ownership-priority, then they never cause a write and writes stay bounded by human edits (seed -1784765025)', () => {
    const sim = simulate('ownership-priority', [
      { kind: 'pagerduty-edit', what: 'priority', pick: 2 },
      { kind: 'deliver', pick: 0, duplicate: false },
      { kind: 'pagerduty-edit', what: 'priority', pick: 0 },
      { kind: 'apply-pagerduty-command' },
      { kind: 'pagerduty-edit', what: 'assignee', pick: 4 },
      { kind: 'deliver', pick: 0, duplicate: false },
      { kind: 'deliver', pick: 2, duplicate: false },
    ]);

    expect(sim.violations.filter((v) => v.includes('echo') || v.includes('loop'))).toEqual([]);
    expect(sim.stats.fieldWrites).toBeLessThanOrEqual(2 * (sim.stats.humanEdits + sim.stats.operatorDecisions));
    const writesBefore = sim.stats.fieldWrites;
    sim.reconcile();
    sim.settle();
    expect(sim.stats.fieldWrites).toBe(writesBefore);
  });

  it("given PagerDuty owns severity and both incidents agree on SEV-4 (P4), when the platform raises it to SEV-1 while a person moves PagerDuty's priority to P5 (also SEV-4) and that webhook arrives late, after later snapshots already showed P5, then the platform's SEV-1 stands on both sides (ownership-priority, seed -1675133759)", () => {
    const severityOwnedByPagerDuty: FieldOwnership = { ...ALL_PLATFORM_OWNED, severity: { owner: 'external', priority: 100 } };
    const sim = new SyncSimulation(
      settings({ conflictStrategy: 'ownership-priority', fieldOwnership: severityOwnedByPagerDuty, botUserId: 'PBOT000' }),
    );
    sim.run([
      { kind: 'pagerduty-edit', what: 'priority', pick: 3 }, // P4 → SEV-4
      { kind: 'pagerduty-edit', what: 'status', pick: 4 },
      { kind: 'pagerduty-edit', what: 'assignee', pick: 1 },
    ]);
    sim.finish();
    expect(sim.platform.values.severity).toBe('SEV-4');

    sim.run([
      { kind: 'platform-edit', field: 'severity', pick: 0 }, // SEV-1
      { kind: 'pagerduty-edit', what: 'priority', pick: 9 }, // P5: still SEV-4, no change to severity
      { kind: 'pagerduty-edit', what: 'status', pick: 0 },
      { kind: 'pagerduty-edit', what: 'assignee', pick: 0 },
      { kind: 'deliver', pick: 14, duplicate: true }, // the status webhook (snapshot: P5)
      { kind: 'deliver', pick: 15, duplicate: false }, // the reassignment webhook (snapshot: P5)
    ]);
    sim.finish(); // the platform change, then the late P5 webhook

    expectConverged(sim);
    expect(sim.platform.values.severity).toBe('SEV-1');
  });

  it('given our urgency re-alignment landed and a person then raised the urgency again (no webhook), when the next webhook (our reassignment) shows the raised urgency before the echo of our write arrives, then the hidden urgency edit is decided once the late echo proves our write landed, and both incidents agree on severity (ownership-priority, seed 1161161621)', () => {
    const sim = simulate('ownership-priority', [
      { kind: 'pagerduty-edit', what: 'priority', pick: 4 }, // P5 on a high-urgency incident
      { kind: 'deliver', pick: 0, duplicate: false }, // → SEV-4, PagerDuty urgency low is written
      { kind: 'apply-pagerduty-command' }, // urgency low lands (no webhook)
      { kind: 'pagerduty-edit', what: 'urgency', pick: 0 }, // a person raises the urgency (no webhook)
      { kind: 'pagerduty-edit', what: 'priority', pick: 3 }, // and sets P4
      { kind: 'deliver', pick: 0, duplicate: false },
      { kind: 'platform-edit', field: 'assigned_to', pick: 0 },
      { kind: 'apply-platform-command' },
      { kind: 'deliver', pick: 0, duplicate: false }, // P4 (SEV-4): PagerDuty re-aligned to {low, P5}
      { kind: 'apply-pagerduty-command' }, // lands; its webhook stays queued
      { kind: 'deliver', pick: 0, duplicate: false },
      { kind: 'pagerduty-edit', what: 'urgency', pick: 0 }, // a person raises the urgency again (no webhook)
      { kind: 'apply-pagerduty-command' }, // our unassignment lands: its webhook shows urgency high
      { kind: 'deliver', pick: 4, duplicate: false },
    ]);

    expectConverged(sim);
  });

  it('given two severity edits (SEV-3 then SEV-1) coalesced into one PagerDuty request, when its result acknowledges both commands and the person then sets SEV-3 again, then both incidents end on SEV-3: the first command\'s SEV-3 is reported superseded, never as written (issue #13, last-write-wins)', () => {
    const sim = simulate('last-write-wins', [
      { kind: 'platform-edit', field: 'severity', pick: 2 }, // SEV-3
      { kind: 'deliver', pick: 0, duplicate: false }, // → PagerDuty command 1: {low, P3}
      { kind: 'platform-edit', field: 'severity', pick: 0 }, // SEV-1
      { kind: 'deliver', pick: 0, duplicate: false }, // → PagerDuty command 2: {high, P1}
      { kind: 'apply-pagerduty-command', merge: 2 }, // one PUT carries {high, P1}; one result for both
      { kind: 'deliver', pick: 1, duplicate: false }, // the result: command 1 superseded, command 2 written
      { kind: 'platform-edit', field: 'severity', pick: 2 }, // the person's last edit: SEV-3
      { kind: 'deliver', pick: 1, duplicate: false },
    ]);

    expectConverged(sim);
    expect(sim.platform.values.severity).toBe('SEV-3');
    expect(sim.pagerDuty.severity).toEqual({ urgency: 'low', priority: 'P3' });
    expect(sim.decisions).toContainEqual(expect.objectContaining({ field: 'severity', outcome: 'write-superseded', commandId: 'link-1/1' }));
    expect(sim.decisions).not.toContainEqual(expect.objectContaining({ field: 'severity', outcome: 'write-confirmed', commandId: 'link-1/1' }));
  });

  it('given our status write was stored by PagerDuty but answered 5xx, when a person changes the status on PagerDuty and the dispatcher then retries our write, then the late landing of our old write is recognised as our echo and PagerDuty is set back, so both incidents agree on status (last-write-wins)', () => {
    const sim = simulate('last-write-wins', [
      { kind: 'platform-edit', field: 'status', pick: 1 }, // mitigated
      { kind: 'deliver', pick: 0, duplicate: false }, // → PagerDuty: acknowledged
      { kind: 'apply-pagerduty-command', failure: 'after-stored' }, // stored, but answered 500: queued for a retry
      { kind: 'pagerduty-edit', what: 'status', pick: 0 }, // a person sets triggered on PagerDuty
    ]);

    expectConverged(sim);
    expect(sim.decisions).toContainEqual(expect.objectContaining({ field: 'status', outcome: 'echo-realigned' }));
  });

  // KNOWN BUG (issue #13), found by the property test with seed 1249169687 (ownership-priority):
  // our "nobody" assignment is stored by PagerDuty but answered 5xx; its echo settles the write,
  // a person then assigns Ann, and the dispatcher's retry of our old write lands after that.
  // PagerDuty ends unassigned while the platform says Ann. `it.failing` passes while the bug is
  // there and fails once it is fixed: then make it a plain `it`.
  it.failing('given our unassignment was stored but answered 5xx and its echo arrived, when a person assigns someone on PagerDuty and the dispatcher then retries our write, then both incidents agree on the assignee (ownership-priority, seed 1249169687)', () => {
    const sim = simulate('ownership-priority', [
      { kind: 'platform-edit', field: 'assigned_to', pick: 0 },
      { kind: 'deliver', pick: 0, duplicate: false },
      { kind: 'apply-pagerduty-command', merge: 1, failure: 'after-stored' },
      { kind: 'pagerduty-edit', what: 'assignee', pick: 0 },
      { kind: 'pagerduty-edit', what: 'status', pick: 5 },
    ]);

    expectConverged(sim);
  });
});

import { IncidentFieldValues } from './incident-values';
import { planCommandUpdate } from './plan-command-update';

const current: IncidentFieldValues = {
  title: 'Edited by a human', description: null, severity: 'SEV-2', status: 'open', assigned_to: null,
  escalation_policy: 'PEP1', escalation_policy_name: 'Primary', incident_type: null,
};

describe('planning a sync update (compare-and-set per field)', () => {
  it('given base values that still hold, writes every field', () => {
    const plan = planCommandUpdate(current, { severity: 'SEV-1', status: 'mitigated' }, { severity: 'SEV-2', status: 'open' });
    expect(plan).toEqual({ patch: { severity: 'SEV-1', status: 'mitigated' }, skipped: [] });
  });

  it('given a field edited since the sync read it, skips that field and writes the others', () => {
    const plan = planCommandUpdate(current, { title: 'From PagerDuty', severity: 'SEV-1' }, { title: 'Original', severity: 'SEV-2' });
    expect(plan.patch).toEqual({ severity: 'SEV-1' });
    expect(plan.skipped).toEqual([{ field: 'title', reason: 'changed_since', message: expect.stringContaining('expected "Original", found "Edited by a human"') }]);
  });

  it('writes a field that has no base value', () => {
    expect(planCommandUpdate(current, { assigned_to: 'b@example.com' }, {}).patch).toEqual({ assigned_to: 'b@example.com' });
    expect(planCommandUpdate(current, { assigned_to: 'b@example.com' }).patch).toEqual({ assigned_to: 'b@example.com' });
  });

  it('compares null base values too (the sync believed the field was empty)', () => {
    expect(planCommandUpdate(current, { description: 'x' }, { description: null }).patch).toEqual({ description: 'x' });
    expect(planCommandUpdate({ ...current, description: 'y' }, { description: 'x' }, { description: null }).skipped.map((s) => s.field)).toEqual(['description']);
  });

  it('a field already at the wanted value is neither written nor reported as skipped', () => {
    expect(planCommandUpdate(current, { title: 'Edited by a human' }, { title: 'Original' })).toEqual({ patch: {}, skipped: [] });
  });

  it('inbound resolved on a closed incident keeps it closed, recorded as skipped', () => {
    const plan = planCommandUpdate({ ...current, status: 'closed' }, { status: 'resolved' }, { status: 'closed' });
    expect(plan.patch).toEqual({});
    expect(plan.skipped).toEqual([{ field: 'status', reason: 'illegal_transition', message: expect.stringContaining('closed') }]);
  });

  it('a PagerDuty reopen (resolved → open) is written', () => {
    expect(planCommandUpdate({ ...current, status: 'resolved' }, { status: 'open' }, { status: 'resolved' }).patch).toEqual({ status: 'open' });
  });

  it('does not reopen a closed incident from the sync', () => {
    expect(planCommandUpdate({ ...current, status: 'closed' }, { status: 'open' }).skipped.map((s) => s.reason)).toEqual(['illegal_transition']);
  });

  it('never pairs a skipped escalation policy id with a new policy name', () => {
    const plan = planCommandUpdate(current, { escalation_policy: 'PEP2', escalation_policy_name: 'Secondary' }, { escalation_policy: 'PEP0' });
    expect(plan.patch).toEqual({});
    expect(plan.skipped.map((s) => s.field)).toEqual(['escalation_policy', 'escalation_policy_name']);
  });

  it('skips an attempt to empty a required field', () => {
    const plan = planCommandUpdate(current, { title: null as unknown as string });
    expect(plan.patch).toEqual({});
    expect(plan.skipped.map((s) => s.reason)).toEqual(['invalid_value']);
  });
});

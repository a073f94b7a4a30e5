import { applyFields, diffFields, IncidentFieldValues } from './incident-values';

const base: IncidentFieldValues = {
  title: 'DB down', description: null, severity: 'SEV-2', status: 'open', assigned_to: 'a@example.com',
  escalation_policy: 'P1', escalation_policy_name: 'Primary', incident_type: null,
};

describe('field diffing', () => {
  it('given a patch with unchanged and changed fields, reports only the changed ones with old and new values', () => {
    expect(diffFields(base, { title: 'DB down', severity: 'SEV-1', description: 'disk full' })).toEqual([
      { field: 'description', oldValue: null, newValue: 'disk full' },
      { field: 'severity', oldValue: 'SEV-2', newValue: 'SEV-1' },
    ]);
  });

  it('treats undefined as "not in the patch" and null as "clear the field"', () => {
    expect(diffFields(base, { assigned_to: undefined })).toEqual([]);
    expect(diffFields(base, { assigned_to: null })).toEqual([{ field: 'assigned_to', oldValue: 'a@example.com', newValue: null }]);
  });

  it('lists changes in the fixed field order whatever the patch order', () => {
    const fields = diffFields(base, { incident_type: 'db', status: 'mitigated', title: 'x' }).map((d) => d.field);
    expect(fields).toEqual(['title', 'status', 'incident_type']);
  });

  it('applies a patch without touching the input', () => {
    const next = applyFields(base, { status: 'resolved', escalation_policy: null, escalation_policy_name: null });
    expect(next).toEqual({ ...base, status: 'resolved', escalation_policy: null, escalation_policy_name: null });
    expect(base.status).toBe('open');
  });

  it('an empty patch changes nothing', () => {
    expect(diffFields(base, {})).toEqual([]);
    expect(applyFields(base, {})).toEqual(base);
  });
});

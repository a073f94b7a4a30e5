import { assertEditable, assertEscalationLevel, planStatusChange } from './incident-transitions';
import { PdError } from './pd-error';
import { IncidentStatus } from './sim-model';

const outcome = (current: IncidentStatus, target: IncidentStatus, via: 'api' | 'person'): string => {
  try {
    return planStatusChange(current, target, via);
  } catch (e) {
    return `error ${(e as PdError).code}`;
  }
};

describe('incident status transitions', () => {
  it.each([
    ['triggered', 'acknowledged', 'api', 'acknowledge'],
    ['triggered', 'resolved', 'api', 'resolve'],
    ['triggered', 'triggered', 'api', 'none'],
    ['acknowledged', 'resolved', 'api', 'resolve'],
    ['acknowledged', 'acknowledged', 'api', 'error 1002'],
    ['acknowledged', 'triggered', 'api', 'error 1003'],
    ['acknowledged', 'triggered', 'person', 'unacknowledge'],
    ['resolved', 'triggered', 'api', 'reopen'],
    ['resolved', 'acknowledged', 'api', 'reopen'],
    ['resolved', 'resolved', 'api', 'error 1001'],
  ] as const)('%s → %s via %s: %s', (current, target, via, expected) => {
    expect(outcome(current, target, via)).toBe(expected);
  });

  it('edits of resolved incidents are rejected with 1001 unless configured otherwise', () => {
    expect(() => assertEditable('resolved', true)).toThrow('Incident Already Resolved');
    expect(() => assertEditable('resolved', false)).not.toThrow();
    expect(() => assertEditable('acknowledged', true)).not.toThrow();
  });

  it('escalation levels run 1..rules×(num_loops+1)', () => {
    expect(() => assertEscalationLevel(2, 2, 0)).not.toThrow();
    expect(() => assertEscalationLevel(4, 2, 1)).not.toThrow();
    expect(() => assertEscalationLevel(3, 2, 0)).toThrow('Cannot Escalate');
    expect(() => assertEscalationLevel(0, 2, 0)).toThrow(PdError);
  });
});

import { onCallAt, shiftsBetween, usersAtLevel } from './oncall-rotation';
import { SeedEscalationPolicy, SeedSchedule } from './seed';

const schedule: SeedSchedule = { id: 'S', name: 'S', rotation_start: '2026-01-05T00:00:00Z', turn_length_seconds: 86400, user_ids: ['A', 'B', 'C'] };
const day = 86400000;
const start = Date.parse(schedule.rotation_start);

describe('one-layer rotations', () => {
  it('hands over every turn in order, also before the rotation start', () => {
    expect([0, 1, 2, 3].map((d) => onCallAt(schedule, start + d * day + 1).userId)).toEqual(['A', 'B', 'C', 'A']);
    expect(onCallAt(schedule, start - 1).userId).toBe('C');
  });

  it('lists the shifts overlapping a window', () => {
    const shifts = shiftsBetween(schedule, start + day / 2, start + 2 * day + 1);
    expect(shifts.map((s) => [s.userId, s.start - start])).toEqual([['A', 0], ['B', day], ['C', 2 * day]]);
  });

  it('resolves a policy level to its users: schedules to whoever is on call, users as themselves', () => {
    const policy: SeedEscalationPolicy = { id: 'E', name: 'E', rules: [
      { id: 'r1', escalation_delay_in_minutes: 30, targets: [{ type: 'schedule_reference', id: 'S' }] },
      { id: 'r2', escalation_delay_in_minutes: 30, targets: [{ type: 'user_reference', id: 'D' }, { type: 'schedule_reference', id: 'S' }] },
    ] };
    const lookup = (id: string): SeedSchedule | undefined => (id === 'S' ? schedule : undefined);
    expect(usersAtLevel(policy, 1, start + day + 5, lookup)).toEqual(['B']);
    expect(usersAtLevel(policy, 2, start + 5, lookup)).toEqual(['D', 'A']);
    expect(usersAtLevel(policy, 3, start + 5, lookup)).toEqual(['A']);
  });
});

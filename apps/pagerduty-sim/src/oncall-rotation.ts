import { SeedEscalationPolicy, SeedSchedule } from './seed';

export interface Shift { userId: string; start: number; end: number }

/** Shifts of a one-layer rotation overlapping [since, until) (ms). Pure. */
export function shiftsBetween(schedule: SeedSchedule, since: number, until: number, max = 500): Shift[] {
  const start = Date.parse(schedule.rotation_start);
  const turn = schedule.turn_length_seconds * 1000;
  const n = schedule.user_ids.length;
  const shifts: Shift[] = [];
  let k = Math.floor((since - start) / turn);
  for (; shifts.length < max; k++) {
    const s = start + k * turn;
    if (s >= until && shifts.length > 0) break;
    if (s >= until) break;
    const userId = schedule.user_ids[((k % n) + n) % n] as string;
    shifts.push({ userId, start: s, end: s + turn });
  }
  return shifts;
}

export function onCallAt(schedule: SeedSchedule, at: number): Shift {
  return shiftsBetween(schedule, at, at + 1, 1)[0] as Shift;
}

/** Users on call at `level` (1-based) of a policy at `at`; an out-of-range level wraps (num_loops). */
export function usersAtLevel(policy: SeedEscalationPolicy, level: number, at: number, schedules: (id: string) => SeedSchedule | undefined): string[] {
  const rule = policy.rules[(level - 1) % policy.rules.length];
  if (!rule) return [];
  const users: string[] = [];
  for (const target of rule.targets) {
    if (target.type === 'user_reference') users.push(target.id);
    else {
      const schedule = schedules(target.id);
      if (schedule) users.push(onCallAt(schedule, at).userId);
    }
  }
  return [...new Set(users)];
}

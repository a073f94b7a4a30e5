import { intakeKeyOf } from './command-intake.service';

const id = '7d8f6a2e-1b1c-4c55-9a3e-4a1f3b8a9c01';

describe('intake key', () => {
  it('a first delivery and its redeliveries share the command id', () => {
    expect(intakeKeyOf(id, { 'message-id': id })).toEqual({ intakeId: id, replayOf: null });
  });

  it('a replay gets its own key: a redelivered replay repeats it, another replay of the same dead letter does not', () => {
    const first = intakeKeyOf(id, { 'dlq-replay-of': 'dl-1', 'dlq-replay-id': 'r-1' });
    expect(first.intakeId).not.toBe(id);
    expect(first.replayOf).toBe('dl-1');
    expect(intakeKeyOf(id, { 'dlq-replay-of': 'dl-1', 'dlq-replay-id': 'r-1' }).intakeId).toBe(first.intakeId);
    expect(intakeKeyOf(id, { 'dlq-replay-of': 'dl-1', 'dlq-replay-id': 'r-2' }).intakeId).not.toBe(first.intakeId);
  });

  it('a replay from a dlq-manager without dlq-replay-id is keyed by the dead letter it came from', () => {
    const a = intakeKeyOf(id, { 'dlq-replay-of': 'dl-1' });
    expect(a.intakeId).not.toBe(id);
    expect(intakeKeyOf(id, { 'dlq-replay-of': 'dl-2' }).intakeId).not.toBe(a.intakeId);
  });
});

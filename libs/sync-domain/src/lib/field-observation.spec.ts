import { echoedWriteIndex, isNewer, observation, valueBefore } from './field-observation';

const same = (a: string, b: string): boolean => a === b;

describe('observations and pending writes', () => {
  it('given an observation at 100 from event A, when event A is seen again at 100, then it is not newer (a redelivery)', () => {
    expect(isNewer({ stamp: 100, sourceIds: ['A'] }, 100, 'A')).toBe(false);
  });

  it('given an observation at 100 from event A, when another event B also at 100 arrives, then B counts as newer', () => {
    expect(isNewer({ stamp: 100, sourceIds: ['A'] }, 100, 'B')).toBe(true);
  });

  it('given an observation at 100 from a confirmed write, when an event at the same millisecond arrives, then the confirmed value is kept', () => {
    expect(isNewer({ stamp: 100 }, 100, 'B')).toBe(false);
  });

  it('given two pending writes of the same value, when an echo at 150 arrives, then it can only be the one issued before we had seen 150', () => {
    const pending = [
      { commandId: 'c1', value: 'X', issuedAt: 0, basedOnStamp: 100 },
      { commandId: 'c2', value: 'X', issuedAt: 0, basedOnStamp: 200 },
    ];
    expect(echoedWriteIndex(pending, 'X', 150, same)).toBe(0);
    expect(echoedWriteIndex(pending.slice(1), 'X', 150, same)).toBe(-1);
  });

  it('given an observation that replaced an older one, when a late event between the two is read, then it is compared with the older value', () => {
    const older = observation<string>(null, 'P4', 100, 100, 'e1');
    const newer = observation(older, 'P1', 300, 300, 'e3');
    expect(valueBefore(newer, 200)).toEqual({ value: 'P4' });
    expect(valueBefore(newer, 50)).toBeNull();
    expect(valueBefore(newer, 400)).toEqual({ value: 'P1' });
  });

  it('given a value re-reported by a later event, when a late event from before the re-report is read, then it is still compared with the value the first report replaced', () => {
    const older = observation<string>(null, 'P4', 100, 100, 'e1');
    const changed = observation(older, 'P5', 300, 300, 'e3');
    const reported = observation(changed, 'P5', 400, 400, 'e4');
    expect(valueBefore(reported, 200)).toEqual({ value: 'P4' });
    expect(valueBefore(reported, 350)).toEqual({ value: 'P5' });
    expect(valueBefore(reported, 50)).toBeNull();
  });
});

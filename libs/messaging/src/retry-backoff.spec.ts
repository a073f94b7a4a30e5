import { retryDelayMs } from './retry-backoff';

const policy = { baseMs: 500, capMs: 60000 };
const noJitter = (): number => 1;

describe('retryDelayMs', () => {
  it('given successive failures, then the wait doubles from the base', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, null, policy, noJitter))).toEqual([500, 1000, 2000, 4000]);
  });

  it('given many failures, then the wait never exceeds the 60 s cap', () => {
    expect(retryDelayMs(8, null, policy, noJitter)).toBe(60000);
    expect(retryDelayMs(1000, null, policy, noJitter)).toBe(60000);
  });

  it('given jitter, then the wait stays between 80 % and 100 % of the step', () => {
    expect(retryDelayMs(3, null, policy, () => 0)).toBe(1600);
    expect(retryDelayMs(3, null, policy, () => 0.5)).toBe(1800);
  });

  it('given a retry-after from the failing party, then that wait is used as given (even beyond the cap)', () => {
    expect(retryDelayMs(1, 7000, policy, noJitter)).toBe(7000);
    expect(retryDelayMs(9, 90000, policy, noJitter)).toBe(90000);
    expect(retryDelayMs(9, 0, policy, noJitter)).toBe(50);
  });
});

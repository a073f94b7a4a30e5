import { backoffDelayMs, rateLimitDelayMs } from './backoff';

const policy = { baseMs: 1000, maxMs: 60000, multiplier: 2 };

describe('backoff', () => {
  it('grows by the integration\'s multiplier per consecutive failure', () => {
    const ceiling = (n: number, p = policy) => backoffDelayMs(n, p, () => 1);
    expect([1, 2, 3, 4].map((n) => ceiling(n))).toEqual([1000, 2000, 4000, 8000]);
    expect([1, 2, 3].map((n) => ceiling(n, { ...policy, multiplier: 3 }))).toEqual([1000, 3000, 9000]);
  });

  it('is capped at maxMs', () => {
    expect(backoffDelayMs(30, policy, () => 1)).toBe(60000);
  });

  it('jitter keeps each delay within [d/2, d]', () => {
    for (let i = 0; i < 200; i += 1) {
      const d = backoffDelayMs(3, policy);
      expect(d).toBeGreaterThanOrEqual(2000);
      expect(d).toBeLessThanOrEqual(4000);
    }
    expect(backoffDelayMs(3, policy, () => 0)).toBe(2000);
  });

  it('a multiplier below 1 never shrinks the delay', () => {
    expect(backoffDelayMs(5, { ...policy, multiplier: 0.5 }, () => 1)).toBe(1000);
  });

  it('a 429 with ratelimit-reset waits that long (plus at most 250 ms of spread)', () => {
    expect(rateLimitDelayMs(7, 1, policy, () => 0)).toBe(7000);
    expect(rateLimitDelayMs(7, 1, policy, () => 1)).toBe(7250);
    expect(rateLimitDelayMs(0, 5, policy, () => 0)).toBe(0);
  });

  it('a 429 without headers backs off exponentially on consecutive 429s', () => {
    expect(rateLimitDelayMs(null, 1, policy, () => 1)).toBe(1000);
    expect(rateLimitDelayMs(null, 4, policy, () => 1)).toBe(8000);
  });

  it('an absurd ratelimit-reset is capped at five minutes', () => {
    expect(rateLimitDelayMs(86400, 1, policy, () => 0)).toBe(300000);
  });
});

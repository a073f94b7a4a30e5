import { landingStamp } from './landing-stamp';

const ms = (iso: string): number => Date.parse(iso);

describe('landingStamp: when our PagerDuty write landed, from a second-precision updated_at', () => {
  it('given updated_at 22Z and the answer at 22.375, then the write landed by 22.375 (not 22.000)', () => {
    expect(landingStamp('2026-12-02T17:57:22Z', '2026-12-02T17:57:22.375Z')).toBe(ms('2026-12-02T17:57:22.375Z'));
  });

  it('given the answer came in a later second, then the end of updated_at\'s second', () => {
    expect(landingStamp('2026-12-02T17:57:22Z', '2026-12-02T17:57:24.010Z')).toBe(ms('2026-12-02T17:57:22.999Z'));
  });

  it('given our clock is behind PagerDuty\'s, then never before updated_at', () => {
    expect(landingStamp('2026-12-02T17:57:22Z', '2026-12-02T17:57:21.500Z')).toBe(ms('2026-12-02T17:57:22Z'));
  });

  it('given updated_at with milliseconds, then it is taken as it is', () => {
    expect(landingStamp('2026-12-02T17:57:22.123Z', '2026-12-02T17:57:22.375Z')).toBe(ms('2026-12-02T17:57:22.123Z'));
  });

  it('given no updated_at, then the time of the answer', () => {
    expect(landingStamp(undefined, '2026-12-02T17:57:22.375Z')).toBe(ms('2026-12-02T17:57:22.375Z'));
  });
});

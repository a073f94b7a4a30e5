import fc from 'fast-check';
import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  it('allows `perWindow` requests per bucket, then denies until the window resets, reporting seconds to reset', () => {
    const limiter = new RateLimiter({ perWindow: 3, createPerWindow: 1, windowMs: 60000 });
    const t0 = 1_000_000;
    expect([0, 1, 2].map((i) => limiter.check('a', false, t0 + i).remaining)).toEqual([2, 1, 0]);
    const denied = limiter.check('a', false, t0 + 10_500);
    expect(denied).toEqual({ allowed: false, limit: 3, remaining: 0, resetSeconds: 50 });
    expect(limiter.check('b', false, t0 + 10_500).allowed).toBe(true);
    expect(limiter.check('a', false, t0 + 60_000)).toMatchObject({ allowed: true, remaining: 2, resetSeconds: 60 });
  });

  it('POST /incidents counts against both limits; the headers show the limit closest to being hit', () => {
    const limiter = new RateLimiter({ perWindow: 10, createPerWindow: 2, windowMs: 60000 });
    expect(limiter.check('a', true, 0)).toMatchObject({ allowed: true, limit: 2, remaining: 1 });
    expect(limiter.check('a', true, 1)).toMatchObject({ allowed: true, limit: 2, remaining: 0 });
    expect(limiter.check('a', true, 2)).toMatchObject({ allowed: false, limit: 2 });
    expect(limiter.check('a', false, 3)).toMatchObject({ allowed: true, limit: 10, remaining: 6 });
  });

  it('never allows more than the limit in one window, whatever the arrival times', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 5000 }), { maxLength: 200 }), fc.integer({ min: 1, max: 20 }), (offsets, limit) => {
      const limiter = new RateLimiter({ perWindow: limit, createPerWindow: limit, windowMs: 1000 });
      const times = [...offsets].sort((a, b) => a - b);
      const allowed = times.filter((t) => limiter.check('k', false, t).allowed);
      // Windows start at the first request after the previous one ended: count per window start.
      let start = -Infinity;
      let count = 0;
      for (const t of allowed) {
        if (t >= start + 1000) { start = t; count = 0; }
        count += 1;
        expect(count).toBeLessThanOrEqual(limit);
      }
    }));
  });
});

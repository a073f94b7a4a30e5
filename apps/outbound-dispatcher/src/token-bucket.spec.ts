import { SEND_SPREAD_MS, TokenBucket } from './token-bucket';

const clockAt = (start = 1_000_000) => {
  let now = start;
  return { clock: () => now, advance: (ms: number) => { now += ms; } };
};

const drain = (bucket: TokenBucket): number => {
  let taken = 0;
  while (bucket.tryTake()) taken += 1;
  return taken;
};

describe('TokenBucket', () => {
  it('given rate 60/min, the burst is 10 tokens and one more arrives every second', () => {
    const t = clockAt();
    const bucket = new TokenBucket(60, t.clock);
    expect(bucket.capacity).toBe(10);
    expect(drain(bucket)).toBe(10);
    expect(bucket.msUntilAvailable()).toBe(1000);
    t.advance(999);
    expect(bucket.tryTake()).toBe(false);
    t.advance(1);
    expect(bucket.tryTake()).toBe(true);
  });

  it('the burst is bounded: a long idle period never stores more than capacity', () => {
    const t = clockAt();
    const bucket = new TokenBucket(960, t.clock);
    drain(bucket);
    t.advance(3600_000);
    expect(bucket.available()).toBe(160);
  });

  it('a tiny rate still allows one request (capacity max(1, rate/6))', () => {
    const t = clockAt();
    const bucket = new TokenBucket(3, t.clock);
    expect(bucket.capacity).toBe(1);
    expect(drain(bucket)).toBe(1);
    expect(bucket.msUntilAvailable()).toBe(20000);
  });

  it('no 60 s window ever holds more than the rate, burst included', () => {
    const t = clockAt();
    const bucket = new TokenBucket(60, t.clock);
    const sent: number[] = [];
    for (let ms = 0; ms < 180_000; ms += 50) {
      while (bucket.tryTake()) sent.push(t.clock());
      t.advance(50);
    }
    for (const start of sent) expect(sent.filter((s) => s >= start && s < start + 60000).length).toBeLessThanOrEqual(60);
    // …and the long-run rate is the configured one.
    expect(sent.length).toBeGreaterThanOrEqual(175);
    expect(sent.length).toBeLessThanOrEqual(180);
  });

  it('a token spent at t still counts at exactly t + 60 s (the window is closed at both ends)', () => {
    const t = clockAt();
    const bucket = new TokenBucket(6, t.clock);
    // capacity 1: one token at once, then one every 10 s; six in the first 50 s.
    const sent: number[] = [];
    for (let ms = 0; ms <= 50_000; ms += 10_000) {
      expect(bucket.tryTake()).toBe(true);
      sent.push(t.clock());
      t.advance(10_000);
    }
    // Now 60 s after the first: a seventh token would make [first, first + 60 s] hold seven.
    expect(t.clock() - (sent[0] ?? 0)).toBe(60_000);
    expect(bucket.tryTake()).toBe(false);
  });

  it('requests that reach PagerDuty up to SEND_SPREAD_MS later than their token was spent never put rate + 1 into a 60 s window there', () => {
    const t = clockAt();
    const bucket = new TokenBucket(120, t.clock);
    const arrivals: number[] = [];
    for (let ms = 0; ms < 300_000; ms += 10) {
      // The time between spending a token and the request arriving (fence query, connection, a
      // loaded machine): the worst case, the longest in the first minute and none after it.
      while (bucket.tryTake()) arrivals.push(t.clock() + (ms < 60_000 ? SEND_SPREAD_MS - 1 : 0));
      t.advance(10);
    }
    const sorted = [...arrivals].sort((a, b) => a - b);
    let highest = 0;
    for (let i = 0, j = 0; j < sorted.length; j += 1) {
      while ((sorted[j] ?? 0) - (sorted[i] ?? 0) >= 60_000) i += 1;
      highest = Math.max(highest, j - i + 1);
    }
    expect(highest).toBeLessThanOrEqual(120);
    // …and the budget is still used: at least 0.95 of the rate over five minutes.
    expect(arrivals.length).toBeGreaterThanOrEqual(0.95 * 120 * 5);
  });

  it('pause() empties the bucket and blocks it (a 429 with ratelimit-reset)', () => {
    const t = clockAt();
    const bucket = new TokenBucket(600, t.clock);
    expect(bucket.available()).toBe(100);
    bucket.pause(5000);
    expect(bucket.available()).toBe(0);
    expect(bucket.msUntilAvailable()).toBe(5000);
    t.advance(5000);
    // Refill restarts after the pause: 100 ms per token at 600/min.
    expect(bucket.msUntilAvailable()).toBe(100);
    t.advance(100);
    expect(bucket.tryTake()).toBe(true);
  });

  it('a rate change applies live and clamps held tokens to the new capacity', () => {
    const t = clockAt();
    const bucket = new TokenBucket(600, t.clock);
    bucket.setRate(60);
    expect(bucket.available()).toBe(10);
    drain(bucket);
    expect(bucket.msUntilAvailable()).toBe(1000);
    bucket.setRate(120);
    expect(bucket.msUntilAvailable()).toBe(500);
  });
});

import { highestInWindow, latency, shortestSpan } from './bench-math';

describe('bench figures', () => {
  it('highestInWindow counts the busiest half-open window, in any order', () => {
    expect(highestInWindow([], 60000)).toBe(0);
    expect(highestInWindow([5], 60000)).toBe(1);
    // 0 and 60000 are not in one [t, t + 60 s) window; 1 … 60000 are.
    expect(highestInWindow([60000, 0, 1, 30000], 60000)).toBe(3);
    expect(highestInWindow([0, 59999], 60000)).toBe(2);
    const everySecond = Array.from({ length: 180 }, (_, i) => i * 1000);
    expect(highestInWindow(everySecond, 60000)).toBe(60);
    expect(highestInWindow([...everySecond, 30500, 30600], 60000)).toBe(62);
  });

  it('shortestSpan is the least time that holds `count` timestamps', () => {
    expect(shortestSpan([0, 1000, 2000], 4)).toBeNull();
    expect(shortestSpan([0, 1000, 2000], 1)).toBe(0);
    expect(shortestSpan([5000, 0, 1000, 4000, 4500], 3)).toBe(1000);
    const everySecond = Array.from({ length: 121 }, (_, i) => i * 500);
    expect(shortestSpan(everySecond, 121)).toBe(60000);
    expect(highestInWindow(everySecond, 60000)).toBe(120);
  });

  it('latency reports nearest-rank percentiles and the maximum', () => {
    const samples = Array.from({ length: 1000 }, (_, i) => 1000 - i); // 1 … 1000, unsorted
    expect(latency(samples)).toEqual({ n: 1000, p50: 500, p99: 990, p999: 999, max: 1000 });
    expect(latency([12.345])).toEqual({ n: 1, p50: 12.3, p99: 12.3, p999: 12.3, max: 12.3 });
    const none = latency([]);
    expect(none.n).toBe(0);
    expect(Number.isNaN(none.p50)).toBe(true);
  });
});

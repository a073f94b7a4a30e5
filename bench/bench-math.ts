/** Pure figures of the bench harness (unit-tested in bench-math.spec.ts). */
import { percentile } from './bench-support';

export interface Latency { n: number; p50: number; p99: number; p999: number; max: number }

/** p50/p99/p99.9/max of `samples` (ms), rounded to 0.1 ms; NaN for no samples. */
export function latency(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (v: number) => (Number.isFinite(v) ? Math.round(v * 10) / 10 : NaN);
  return { n: sorted.length, p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)), p999: round(percentile(sorted, 99.9)), max: round(sorted[sorted.length - 1] ?? NaN) };
}

/** The most timestamps (ms) that fall in any half-open window [t, t + windowMs). */
export function highestInWindow(timesMs: number[], windowMs: number): number {
  const times = [...timesMs].sort((a, b) => a - b);
  let highest = 0;
  for (let i = 0, j = 0; j < times.length; j += 1) {
    while (times[j]! - times[i]! >= windowMs) i += 1;
    highest = Math.max(highest, j - i + 1);
  }
  return highest;
}

/**
 * The shortest time (ms) in which `count` of the timestamps occurred, or null when there are
 * fewer: with count = limit + 1, how close a 60 s window came to holding one too many.
 */
export function shortestSpan(timesMs: number[], count: number): number | null {
  const times = [...timesMs].sort((a, b) => a - b);
  let shortest: number | null = null;
  for (let i = 0; i + count - 1 < times.length; i += 1) {
    const span = times[i + count - 1]! - times[i]!;
    if (shortest === null || span < shortest) shortest = span;
  }
  return shortest;
}

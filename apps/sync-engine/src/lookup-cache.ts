import { BoundedCache } from '@incident-sync/service-runtime';

/**
 * A bounded TTL cache for PagerDuty look-ups (users, priorities), on the shared BoundedCache
 * (LRU bound, TTL per entry). Misses are cached too (with their own, shorter TTL), so a burst
 * of webhooks naming an unknown user asks PagerDuty once, not once per webhook: values are
 * boxed so a cached `null` is a hit. Concurrent look-ups of one key share one request.
 */
export class LookupCache<V> {
  private readonly entries: BoundedCache<string, { value: V }>;
  private readonly inFlight = new Map<string, Promise<V>>();

  constructor(maxEntries: number, clock: () => number = Date.now) {
    this.entries = new BoundedCache({ maxEntries, ttlMs: 0, now: clock });
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): { value: V } | undefined {
    return this.entries.get(key);
  }

  set(key: string, value: V, ttlMs: number): void {
    this.entries.set(key, { value }, ttlMs);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  deleteWhere(predicate: (key: string) => boolean): void {
    for (const [key] of this.entries.liveEntries()) if (predicate(key)) this.entries.delete(key);
  }

  /** The cached value, or `load()` once for all concurrent callers; `ttlOf` decides how long the answer is kept (0: not kept). */
  async getOrLoad(key: string, load: () => Promise<V>, ttlOf: (value: V) => number): Promise<V> {
    const hit = this.get(key);
    if (hit) return hit.value;
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const started = load().then((value) => {
      const ttl = ttlOf(value);
      if (ttl > 0) this.set(key, value, ttl);
      return value;
    }).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, started);
    return started;
  }
}

/**
 * A bounded TTL map for PagerDuty look-ups (users, priorities). Misses are cached too (with
 * their own, shorter TTL), so a burst of webhooks naming an unknown user asks PagerDuty once,
 * not once per webhook; concurrent look-ups of one key share one request. When full, the
 * oldest entries go first (Map keeps insertion order; a hit re-inserts).
 */
export class LookupCache<V> {
  private readonly entries = new Map<string, { value: V; until: number }>();
  private readonly inFlight = new Map<string, Promise<V>>();

  constructor(private readonly maxEntries: number, private readonly clock: () => number = Date.now) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: string): { value: V } | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.until <= this.clock()) {
      this.entries.delete(key);
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, hit);
    return { value: hit.value };
  }

  set(key: string, value: V, ttlMs: number): void {
    this.entries.delete(key);
    this.entries.set(key, { value, until: this.clock() + ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  deleteWhere(predicate: (key: string) => boolean): void {
    for (const key of [...this.entries.keys()]) if (predicate(key)) this.entries.delete(key);
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

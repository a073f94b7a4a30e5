export interface BoundedCacheOptions {
  /** Most entries kept; setting one more evicts the least recently used. 0 disables the cache. */
  maxEntries: number;
  /** Default time to live of an entry, in milliseconds (0: nothing is kept). */
  ttlMs: number;
  /** Clock, for tests. */
  now?: () => number;
}

interface Entry<V> {
  value: V;
  expiresAt: number;
}

/**
 * A small in-memory cache with a hard size bound (least-recently-used eviction) and a time to
 * live per entry. Use it for anything keyed by caller input, so a caller cannot grow memory
 * without bound. A Map keeps insertion order; `get` re-inserts, so the first key is the LRU.
 */
export class BoundedCache<K, V> {
  private readonly entries = new Map<K, Entry<V>>();
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(options: BoundedCacheOptions) {
    if (!Number.isInteger(options.maxEntries) || options.maxEntries < 0) throw new RangeError('BoundedCache maxEntries must be an integer ≥ 0 (0 disables the cache)');
    if (!Number.isFinite(options.ttlMs) || options.ttlMs < 0) throw new RangeError('BoundedCache ttlMs must be a finite number ≥ 0');
    this.maxEntries = options.maxEntries;
    this.ttlMs = options.ttlMs;
    this.now = options.now ?? Date.now;
  }

  /** The live value, or undefined when absent or expired (an expired entry is dropped). */
  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expiresAt <= this.now()) return undefined;
    this.entries.set(key, entry);
    return entry.value;
  }

  /** Stores a value for `ttlMs` (default: the cache's), evicting the least recently used past the bound. */
  set(key: K, value: V, ttlMs: number = this.ttlMs): void {
    if (!Number.isFinite(ttlMs) || ttlMs < 0) throw new RangeError('BoundedCache ttlMs must be a finite number ≥ 0');
    this.entries.delete(key);
    if (this.maxEntries === 0 || ttlMs === 0) return;
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }

  delete(key: K): boolean {
    return this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  /** The live entries, least recently used first; reading them changes neither recency nor expiry (for metrics). */
  liveEntries(): [K, V][] {
    const now = this.now();
    const out: [K, V][] = [];
    for (const [key, entry] of this.entries) if (entry.expiresAt > now) out.push([key, entry.value]);
    return out;
  }

  /** Entries held, including expired ones not yet dropped (never more than maxEntries). */
  get size(): number {
    return this.entries.size;
  }
}

export interface BoundedCacheOptions {
  /** At most this many entries; setting one more evicts the least recently used. 0 disables the cache. */
  maxEntries: number;
  /** How long an entry lives unless `set` gives its own TTL. 0 disables the cache. */
  ttlMs: number;
}

interface Entry<V> {
  value: V;
  expiresAt: number;
}

/**
 * A cache that cannot grow without bound: a size cap with least-recently-used eviction and a
 * time to live per entry. Every in-process cache keyed by something a caller or a message
 * chooses uses one (issue #12: caches keyed by caller input grew without limit).
 *
 * LRU order is the Map's insertion order: a hit re-inserts its key at the end, so the first
 * key is always the least recently used, and eviction is O(1). Expired entries are dropped
 * when read (or when they reach the front of the LRU order).
 */
export class BoundedCache<K, V> {
  private readonly entries = new Map<K, Entry<V>>();
  private readonly maxEntries: number;
  private readonly ttlMs: number;

  constructor(options: BoundedCacheOptions) {
    if (!Number.isInteger(options.maxEntries) || options.maxEntries < 0) throw new RangeError(`maxEntries must be a whole number >= 0, got ${options.maxEntries}`);
    if (!Number.isFinite(options.ttlMs) || options.ttlMs < 0) throw new RangeError(`ttlMs must be a number >= 0, got ${options.ttlMs}`);
    this.maxEntries = options.maxEntries;
    this.ttlMs = options.ttlMs;
  }

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    if (entry.expiresAt <= Date.now()) return undefined;
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: K, value: V, ttlMs: number = this.ttlMs): void {
    this.entries.delete(key);
    if (this.maxEntries === 0 || !(ttlMs > 0)) return;
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) break;
      this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, expiresAt: Date.now() + ttlMs });
  }

  delete(key: K): boolean {
    return this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  /** Entries held now (expired ones not yet read or evicted included). Never above maxEntries. */
  get size(): number {
    return this.entries.size;
  }
}

import { BoundedCache } from './bounded-cache';

describe('BoundedCache', () => {
  let now = 1_000_000;
  let clock: jest.SpyInstance<number, []>;
  beforeEach(() => {
    now = 1_000_000;
    clock = jest.spyOn(Date, 'now').mockImplementation(() => now);
  });
  afterEach(() => clock.mockRestore());

  it('given more keys than maxEntries, when they are set, then the least recently used go first', () => {
    const cache = new BoundedCache<string, number>({ maxEntries: 3, ttlMs: 60000 });
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    expect(cache.get('a')).toBe(1); // a is now the most recently used
    cache.set('d', 4);
    expect(cache.size).toBe(3);
    expect(cache.get('b')).toBeUndefined();
    expect([cache.get('a'), cache.get('c'), cache.get('d')]).toEqual([1, 3, 4]);
  });

  it('given a flood of distinct keys, the size never exceeds the bound', () => {
    const cache = new BoundedCache<string, string>({ maxEntries: 50, ttlMs: 60000 });
    let largest = 0;
    for (let i = 0; i < 10000; i += 1) {
      cache.set(`key-${i}`, 'v');
      largest = Math.max(largest, cache.size);
    }
    expect(largest).toBe(50);
    expect(cache.size).toBe(50);
    expect(cache.get('key-9999')).toBe('v');
    expect(cache.get('key-0')).toBeUndefined();
  });

  it('given an entry older than its TTL, when read, then it is gone and no longer counted', () => {
    const cache = new BoundedCache<string, number>({ maxEntries: 10, ttlMs: 1000 });
    cache.set('a', 1);
    now += 999;
    expect(cache.get('a')).toBe(1);
    now += 1;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('honours a per-entry TTL given to set', () => {
    const cache = new BoundedCache<string, number>({ maxEntries: 10, ttlMs: 60000 });
    cache.set('short', 1, 100);
    cache.set('long', 2);
    now += 100;
    expect(cache.get('short')).toBeUndefined();
    expect(cache.get('long')).toBe(2);
  });

  it('re-setting a key replaces its value and TTL without growing', () => {
    const cache = new BoundedCache<string, number>({ maxEntries: 2, ttlMs: 1000 });
    cache.set('a', 1);
    now += 900;
    cache.set('a', 2);
    now += 900;
    expect(cache.get('a')).toBe(2);
    expect(cache.size).toBe(1);
  });

  it('delete and clear remove entries', () => {
    const cache = new BoundedCache<string, number>({ maxEntries: 5, ttlMs: 1000 });
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.delete('a')).toBe(true);
    expect(cache.delete('a')).toBe(false);
    expect(cache.get('a')).toBeUndefined();
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('maxEntries 0 or a TTL of 0 stores nothing (caching switched off)', () => {
    const off = new BoundedCache<string, number>({ maxEntries: 0, ttlMs: 1000 });
    off.set('a', 1);
    expect(off.get('a')).toBeUndefined();
    const noTtl = new BoundedCache<string, number>({ maxEntries: 5, ttlMs: 0 });
    noTtl.set('a', 1);
    expect(noTtl.size).toBe(0);
  });

  it('refuses a negative or fractional bound', () => {
    expect(() => new BoundedCache({ maxEntries: -1, ttlMs: 1 })).toThrow(RangeError);
    expect(() => new BoundedCache({ maxEntries: 1.5, ttlMs: 1 })).toThrow(RangeError);
    expect(() => new BoundedCache({ maxEntries: 1, ttlMs: -1 })).toThrow(RangeError);
  });
});

import { BoundedCache } from './bounded-cache';

describe('BoundedCache', () => {
  const clock = (start = 1000): { now: () => number; advance: (ms: number) => void } => {
    let t = start;
    return { now: () => t, advance: (ms) => { t += ms; } };
  };

  it('returns what was set until its time to live passes', () => {
    const c = clock();
    const cache = new BoundedCache<string, number>({ maxEntries: 10, ttlMs: 100, now: c.now });
    cache.set('a', 1);
    c.advance(99);
    expect(cache.get('a')).toBe(1);
    c.advance(1);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('honours a per-entry time to live', () => {
    const c = clock();
    const cache = new BoundedCache<string, string>({ maxEntries: 10, ttlMs: 1000, now: c.now });
    cache.set('short', 's', 10);
    cache.set('long', 'l');
    c.advance(10);
    expect(cache.get('short')).toBeUndefined();
    expect(cache.get('long')).toBe('l');
  });

  it('never holds more than maxEntries and evicts the least recently used', () => {
    const cache = new BoundedCache<number, number>({ maxEntries: 3, ttlMs: 60000 });
    cache.set(1, 1);
    cache.set(2, 2);
    cache.set(3, 3);
    expect(cache.get(1)).toBe(1); // 1 is now the most recently used; 2 is the oldest
    cache.set(4, 4);
    expect(cache.size).toBe(3);
    expect(cache.get(2)).toBeUndefined();
    expect([cache.get(1), cache.get(3), cache.get(4)]).toEqual([1, 3, 4]);
  });

  it('stays bounded under many distinct keys (no wholesale clear: recent keys survive)', () => {
    const cache = new BoundedCache<string, number>({ maxEntries: 100, ttlMs: 60000 });
    for (let i = 0; i < 10000; i++) cache.set(`k${i}`, i);
    expect(cache.size).toBe(100);
    expect(cache.get('k9999')).toBe(9999);
    expect(cache.get('k9900')).toBe(9900);
    expect(cache.get('k9899')).toBeUndefined();
  });

  it('re-setting a key refreshes its value, time to live and recency without growing', () => {
    const c = clock();
    const cache = new BoundedCache<string, number>({ maxEntries: 2, ttlMs: 100, now: c.now });
    cache.set('a', 1);
    cache.set('b', 2);
    c.advance(90);
    cache.set('a', 3);
    cache.set('c', 4); // evicts b, the least recently used
    c.advance(50);
    expect(cache.get('a')).toBe(3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.size).toBe(2);
  });

  it('caches falsy values such as null and 0', () => {
    const cache = new BoundedCache<string, number | null>({ maxEntries: 5, ttlMs: 1000 });
    cache.set('n', null);
    cache.set('z', 0);
    expect(cache.get('n')).toBeNull();
    expect(cache.get('z')).toBe(0);
  });

  it('deletes and clears', () => {
    const cache = new BoundedCache<string, number>({ maxEntries: 5, ttlMs: 1000 });
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.delete('a')).toBe(true);
    expect(cache.delete('a')).toBe(false);
    expect(cache.get('a')).toBeUndefined();
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.get('b')).toBeUndefined();
  });

  it('refuses nonsensical bounds', () => {
    expect(() => new BoundedCache({ maxEntries: -1, ttlMs: 10 })).toThrow(RangeError);
    const disabled = new BoundedCache<string, number>({ maxEntries: 0, ttlMs: 10 });
    disabled.set('a', 1);
    expect(disabled.get('a')).toBeUndefined();
    expect(disabled.size).toBe(0);
    expect(() => new BoundedCache({ maxEntries: 1.5, ttlMs: 10 })).toThrow(RangeError);
    expect(() => new BoundedCache({ maxEntries: 1, ttlMs: -1 })).toThrow(RangeError);
    expect(() => new BoundedCache({ maxEntries: 1, ttlMs: Number.NaN })).toThrow(RangeError);
    expect(() => new BoundedCache<string, number>({ maxEntries: 1, ttlMs: 1 }).set('a', 1, -5)).toThrow(RangeError);
  });

  it('lists live entries without refreshing them', () => {
    const c = clock();
    const cache = new BoundedCache<string, number>({ maxEntries: 10, ttlMs: 100, now: c.now });
    cache.set('a', 1);
    cache.set('b', 2, 10);
    c.advance(10);
    expect(cache.liveEntries()).toEqual([['a', 1]]);
    c.advance(90);
    expect(cache.liveEntries()).toEqual([]);
  });
});

import { LookupCache } from './lookup-cache';

describe('LookupCache', () => {
  it('given a miss cached with a TTL, when asked again within it, then the loader is not called; after it, it is', async () => {
    let now = 0;
    const cache = new LookupCache<string | null>(10, () => now);
    let loads = 0;
    const load = async (): Promise<string | null> => { loads += 1; return null; };
    expect(await cache.getOrLoad('int:P1', load, () => 1000)).toBeNull();
    now = 999;
    expect(await cache.getOrLoad('int:P1', load, () => 1000)).toBeNull();
    expect(loads).toBe(1);
    now = 1000;
    await cache.getOrLoad('int:P1', load, () => 1000);
    expect(loads).toBe(2);
  });

  it('given concurrent look-ups of one key, then one load serves them all', async () => {
    const cache = new LookupCache<number>(10);
    let loads = 0;
    let release: (v: number) => void = () => undefined;
    const load = (): Promise<number> => { loads += 1; return new Promise((resolve) => { release = resolve; }); };
    const all = Promise.all([cache.getOrLoad('k', load, () => 1000), cache.getOrLoad('k', load, () => 1000), cache.getOrLoad('k', load, () => 1000)]);
    release(7);
    expect(await all).toEqual([7, 7, 7]);
    expect(loads).toBe(1);
  });

  it('given more keys than its bound, then the least recently used go first and the size stays bounded', () => {
    const cache = new LookupCache<number>(3);
    cache.set('a', 1, 1000);
    cache.set('b', 2, 1000);
    cache.set('c', 3, 1000);
    cache.get('a');
    cache.set('d', 4, 1000);
    expect(cache.size).toBe(3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toEqual({ value: 1 });
  });

  it('given a failed load, then nothing is cached and the next call loads again', async () => {
    const cache = new LookupCache<number>(3);
    await expect(cache.getOrLoad('k', () => Promise.reject(new Error('429')), () => 1000)).rejects.toThrow('429');
    expect(await cache.getOrLoad('k', async () => 5, () => 1000)).toBe(5);
  });
});

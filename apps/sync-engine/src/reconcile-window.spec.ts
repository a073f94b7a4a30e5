import { PAGINATION_CAP, scanWindow, TimeWindow, WindowPage } from './reconcile-window';

/** A PagerDuty-like list: records with a time, classic pagination, 400 past the cap. */
function fakeList(times: number[], counts: boolean) {
  const calls: { window: TimeWindow; offset: number; limit: number }[] = [];
  const fetchPage = async (window: TimeWindow, offset: number, limit: number, withTotal: boolean): Promise<WindowPage<number>> => {
    calls.push({ window, offset, limit });
    if (offset + limit > PAGINATION_CAP) throw new Error(`400: offset ${offset} + limit ${limit} > 10000`);
    const inWindow = times.filter((t) => t >= window.since && t < window.until);
    return { items: inWindow.slice(offset, offset + limit), more: offset + limit < inWindow.length, total: counts && withTotal ? inWindow.length : null };
  };
  return { fetchPage, calls };
}

describe('scanWindow (PagerDuty pagination cap: narrow windows instead of paging past 10,000)', () => {
  const DAY = 86400000;
  const start = Date.parse('2026-11-01T00:00:00Z');

  it('given a small window, then one page per 100 records and no narrowing', async () => {
    const times = Array.from({ length: 250 }, (_, i) => start + i * 1000);
    const list = fakeList(times, true);
    const seen: number[] = [];
    const scan = await scanWindow({ since: start, until: start + DAY }, list.fetchPage, (items) => { seen.push(...items); });
    expect(seen).toEqual(times);
    expect(scan).toEqual({ requests: 3, windows: 1, truncated: 0 });
  });

  it('given 25,000 records in the window, then every record is read once and no request passes the cap', async () => {
    const times = Array.from({ length: 25000 }, (_, i) => start + i * 10000);
    const list = fakeList(times, true);
    const seen = new Map<number, number>();
    const scan = await scanWindow({ since: start, until: start + 30 * DAY }, list.fetchPage, (items) => { for (const t of items) seen.set(t, (seen.get(t) ?? 0) + 1); });
    expect(seen.size).toBe(25000);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect(scan.windows).toBeGreaterThanOrEqual(3);
    expect(scan.truncated).toBe(0);
    expect(list.calls.every((c) => c.offset + c.limit <= PAGINATION_CAP)).toBe(true);
  });

  it('given a list that does not count, then paging that reaches the cap narrows the window and every record is still read', async () => {
    const times = Array.from({ length: 12000 }, (_, i) => start + i * 10000);
    const list = fakeList(times, false);
    const seen = new Set<number>();
    const scan = await scanWindow({ since: start, until: start + 30 * DAY }, list.fetchPage, (items) => { for (const t of items) seen.add(t); });
    expect(seen.size).toBe(12000);
    expect(scan.truncated).toBe(0);
    expect(list.calls.every((c) => c.offset + c.limit <= PAGINATION_CAP)).toBe(true);
  });

  it('given a window wider than six months, then it is split before any request', async () => {
    const list = fakeList([start], true);
    await scanWindow({ since: start - 400 * DAY, until: start + DAY }, list.fetchPage, () => undefined);
    expect(list.calls.every((c) => c.window.until - c.window.since <= 180 * DAY)).toBe(true);
  });

  it('given more than the cap inside one second, then the rest is reported as truncated instead of a 400', async () => {
    const times = Array.from({ length: 10050 }, () => start);
    const list = fakeList(times, true);
    const scan = await scanWindow({ since: start, until: start + 1000 }, list.fetchPage, () => undefined);
    expect(scan.truncated).toBe(1);
  });
});

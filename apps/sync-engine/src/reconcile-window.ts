/** PagerDuty's classic pagination stops at offset + limit = 10,000 (FACTS §2.6, §14). */
export const PAGINATION_CAP = 10000;
export const PAGE_LIMIT = 100;
/** PagerDuty's maximum since/until range for GET /incidents (FACTS §2.3): six months. */
export const MAX_WINDOW_MS = 180 * 86400000;
/** Below this a window is not split any further (its records are read up to the cap). */
const MIN_WINDOW_MS = 1000;

export interface TimeWindow {
  since: number;
  until: number;
}

export interface WindowPage<T> {
  items: T[];
  more: boolean;
  /** With `total=true`; null when the API did not count. */
  total: number | null;
}

/** One page of a list filtered to `window` (`since`/`until`, `offset`, `limit`, `total`). */
export type FetchWindowPage<T> = (window: TimeWindow, offset: number, limit: number, withTotal: boolean) => Promise<WindowPage<T>>;

export interface WindowScan {
  requests: number;
  /** Windows actually paged through (after narrowing). */
  windows: number;
  /** Windows that still hit the cap at the minimum width: records beyond it were not read. */
  truncated: number;
}

/**
 * Reads every record of a time window from a PagerDuty list, narrowing the window instead of
 * paging past the 10,000-record cap: the first page of each window asks for `total`; a
 * window holding more than the cap (or wider than PagerDuty allows) is split in halves,
 * earliest first. A window whose total is unknown and whose paging reaches the cap is split
 * then (its records may be delivered twice: callers dedupe by id).
 */
export async function scanWindow<T>(
  window: TimeWindow,
  fetchPage: FetchWindowPage<T>,
  onItems: (items: T[]) => Promise<void> | void,
  options: { cap?: number; limit?: number } = {},
): Promise<WindowScan> {
  const cap = options.cap ?? PAGINATION_CAP;
  const limit = Math.min(options.limit ?? PAGE_LIMIT, cap);
  const scan: WindowScan = { requests: 0, windows: 0, truncated: 0 };
  const stack: TimeWindow[] = [window];
  const split = (w: TimeWindow): void => {
    const middle = w.since + Math.floor((w.until - w.since) / 2);
    stack.push({ since: middle, until: w.until }, { since: w.since, until: middle });
  };
  while (stack.length > 0) {
    const w = stack.pop() as TimeWindow;
    const width = w.until - w.since;
    if (width <= 0) continue;
    if (width > MAX_WINDOW_MS) {
      split(w);
      continue;
    }
    const first = await fetchPage(w, 0, limit, true);
    scan.requests += 1;
    const canSplit = width > MIN_WINDOW_MS;
    if (first.total !== null && first.total > cap && canSplit) {
      split(w);
      continue;
    }
    scan.windows += 1;
    await onItems(first.items);
    let more = first.more;
    let offset = limit;
    while (more) {
      if (offset + limit > cap) {
        if (canSplit) {
          scan.windows -= 1;
          split(w);
        } else {
          scan.truncated += 1;
        }
        break;
      }
      const page = await fetchPage(w, offset, limit, false);
      scan.requests += 1;
      await onItems(page.items);
      more = page.more;
      offset += limit;
    }
  }
  return scan;
}

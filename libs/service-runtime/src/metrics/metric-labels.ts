/** Every metric of the product starts with this (Prometheus naming: one namespace per application). */
export const METRIC_PREFIX = 'incident_sync_';

const METRIC_NAME = /^incident_sync_[a-z][a-z0-9_]*$/;
const LABEL_VALUE_MAX = 64;

/**
 * Refuses a metric name that breaks the conventions every service follows: the
 * `incident_sync_` prefix, snake_case, counters ending in `_total`, histograms in a base
 * unit (`_seconds` / `_bytes`). A programming error, so it throws at registration.
 */
export function assertMetricName(name: string, kind: 'counter' | 'gauge' | 'histogram'): void {
  if (!METRIC_NAME.test(name) || name.includes('__')) throw new Error(`metric name ${JSON.stringify(name)} must be snake_case and start with ${METRIC_PREFIX}`);
  if (kind === 'counter' && !name.endsWith('_total')) throw new Error(`counter ${name} must end in _total`);
  if (kind !== 'counter' && name.endsWith('_total')) throw new Error(`${kind} ${name} must not end in _total (that suffix is for counters)`);
  if (kind === 'histogram' && !/_(seconds|bytes)$/.test(name)) throw new Error(`histogram ${name} must be in a base unit (_seconds or _bytes)`);
}

/**
 * A label value that is safe to export: bounded length, only `[A-Za-z0-9_.:/{}-]` (anything
 * else becomes `_`), never empty. Labels carry fixed vocabularies (reasons, operations) or
 * ids; never names, emails, titles or tokens, which this cannot detect: it only keeps an
 * unexpected value from breaking the exposition or growing without bound.
 */
export function metricLabel(value: string | null | undefined, maxLength = LABEL_VALUE_MAX): string {
  const text = (value ?? '').replace(/[^A-Za-z0-9_.:/{}-]/g, '_').slice(0, maxLength);
  return text.length > 0 ? text : 'unknown';
}

/** HTTP status → `1xx`…`5xx`; 0 or anything outside 100–599 (no answer: network error, timeout) → `network`. */
export function statusClassOf(status: number): string {
  if (!Number.isInteger(status) || status < 100 || status > 599) return 'network';
  return `${Math.floor(status / 100)}xx`;
}

/** Seconds between two instants (ISO strings, dates or epoch ms), never negative; null when either is unreadable. */
export function secondsBetween(from: string | Date | number | null | undefined, to: string | Date | number = Date.now()): number | null {
  if (from === null || from === undefined) return null;
  const start = from instanceof Date ? from.getTime() : typeof from === 'number' ? from : Date.parse(from);
  const end = to instanceof Date ? to.getTime() : typeof to === 'number' ? to : Date.parse(to);
  if (!Number.isFinite(start) || !Number.isFinite(end)) return null;
  return Math.max(0, (end - start) / 1000);
}

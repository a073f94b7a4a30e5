import { PdError } from './pd-error';
import { IncidentStatus, SimIncident, Urgency } from './sim-model';

export type Query = Record<string, string | string[] | undefined>;

/** `key[]=a&key[]=b`, `key=a&key=b` and `key=a,b` forms are all accepted, as PD does. */
export function listParam(query: Query, name: string): string[] {
  const raw = [query[`${name}[]`], query[name]].flatMap((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));
  return raw.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

export function boolParam(query: Query, name: string): boolean {
  const v = query[name];
  return (Array.isArray(v) ? v[0] : v) === 'true';
}

function scalar(query: Query, name: string): string | undefined {
  const v = query[name];
  return Array.isArray(v) ? v[0] : v;
}

export interface Page { limit: number; offset: number; total: boolean }

/** Classic pagination (FACTS §2.6): limit default 25, max 100; offset+limit ≤ 10,000, else 400. */
export function parsePage(query: Query): Page {
  const limitRaw = scalar(query, 'limit');
  const offsetRaw = scalar(query, 'offset');
  if (limitRaw !== undefined && !/^\d+$/.test(limitRaw)) throw PdError.invalidInput('Limit must be a positive integer');
  if (offsetRaw !== undefined && !/^\d+$/.test(offsetRaw)) throw PdError.invalidInput('Offset must be a non-negative integer');
  // PD caps an oversized limit at 100 rather than rejecting it.
  const limit = Math.min(100, limitRaw === undefined ? 25 : Math.max(1, Number(limitRaw)));
  const offset = offsetRaw === undefined ? 0 : Number(offsetRaw);
  if (offset + limit > 10000) throw PdError.invalidInput('Offset + limit must be less than or equal to 10000');
  return { limit, offset, total: boolParam(query, 'total') };
}

export function paginate<T>(items: T[], page: Page): { items: T[]; limit: number; offset: number; more: boolean; total: number | null } {
  return {
    items: items.slice(page.offset, page.offset + page.limit),
    limit: page.limit,
    offset: page.offset,
    more: page.offset + page.limit < items.length,
    total: page.total ? items.length : null,
  };
}

const STATUSES: IncidentStatus[] = ['triggered', 'acknowledged', 'resolved'];
const URGENCIES: Urgency[] = ['high', 'low'];
const SORT_FIELDS = ['incident_number', 'created_at', 'resolved_at', 'urgency'];
const DAY = 86400000;

function parseTime(value: string, name: string): number {
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw PdError.invalidInput(`${name} is not a valid date`);
  return t;
}

/**
 * GET /incidents filters and sort (FACTS §2.3): since/until window (default the last month,
 * max 6 months) unless date_range=all; statuses[], urgencies[], service_ids[], team_ids[],
 * user_ids[] (only open incidents match), incident_key (also matching a keyless incident whose
 * child alert has that alert_key, as the AS parameter says); sort_by up to 2 fields with :asc|:desc.
 */
export function filterIncidents(all: SimIncident[], query: Query, now: number): SimIncident[] {
  const statuses = listParam(query, 'statuses');
  for (const s of statuses) if (!STATUSES.includes(s as IncidentStatus)) throw PdError.invalidInput(`Statuses must be one of ${STATUSES.join(', ')}`);
  const urgencies = listParam(query, 'urgencies');
  for (const u of urgencies) if (!URGENCIES.includes(u as Urgency)) throw PdError.invalidInput(`Urgencies must be one of ${URGENCIES.join(', ')}`);
  const serviceIds = listParam(query, 'service_ids');
  const teamIds = listParam(query, 'team_ids');
  const userIds = listParam(query, 'user_ids');
  const incidentKey = scalar(query, 'incident_key');
  const dateRange = scalar(query, 'date_range');
  if (dateRange !== undefined && dateRange !== 'all') throw PdError.invalidInput('Date range must be "all"');

  let since = -Infinity;
  let until = Infinity;
  if (dateRange !== 'all') {
    const sinceRaw = scalar(query, 'since');
    const untilRaw = scalar(query, 'until');
    until = untilRaw !== undefined ? parseTime(untilRaw, 'Until') : now + 1000;
    since = sinceRaw !== undefined ? parseTime(sinceRaw, 'Since') : (untilRaw !== undefined ? until : now) - 30 * DAY;
    if (since > until) throw PdError.invalidInput('Since must be before until');
    if (until - since > 183 * DAY) throw PdError.invalidInput('The maximum range of since and until is 6 months');
  }

  const filtered = all.filter((i) => {
    const created = Date.parse(i.createdAt);
    if (created < since || created >= until) return false;
    if (statuses.length && !statuses.includes(i.status)) return false;
    if (urgencies.length && !urgencies.includes(i.urgency)) return false;
    if (serviceIds.length && !serviceIds.includes(i.serviceId)) return false;
    if (teamIds.length && !i.teamIds.some((t) => teamIds.includes(t))) return false;
    if (userIds.length && (i.status === 'resolved' || !i.assignments.some((a) => userIds.includes(a.userId)))) return false;
    if (incidentKey !== undefined && i.incidentKey !== incidentKey && !i.alertKeys?.includes(incidentKey)) return false;
    return true;
  });
  return sortIncidents(filtered, scalar(query, 'sort_by'));
}

export function sortIncidents(items: SimIncident[], sortBy: string | undefined): SimIncident[] {
  const specs = (sortBy ?? 'created_at:asc').split(',').map((s) => s.trim()).filter(Boolean);
  if (specs.length > 2) throw PdError.invalidInput('Sort by accepts at most two fields');
  const keys = specs.map((spec) => {
    const [field, dir = 'asc'] = spec.split(':');
    if (!field || !SORT_FIELDS.includes(field) || !['asc', 'desc'].includes(dir)) throw PdError.invalidInput(`Sort by must be one of ${SORT_FIELDS.join(', ')} with an optional :asc or :desc`);
    return { field, sign: dir === 'desc' ? -1 : 1 };
  });
  const value = (i: SimIncident, field: string): number => {
    switch (field) {
      case 'incident_number': return i.number;
      case 'created_at': return Date.parse(i.createdAt);
      case 'resolved_at': return i.resolvedAt ? Date.parse(i.resolvedAt) : Number.MAX_SAFE_INTEGER;
      default: return i.urgency === 'high' ? 1 : 0;
    }
  };
  return [...items].sort((a, b) => {
    for (const k of keys) {
      const d = value(a, k.field) - value(b, k.field);
      if (d !== 0) return d * k.sign;
    }
    return a.number - b.number;
  });
}

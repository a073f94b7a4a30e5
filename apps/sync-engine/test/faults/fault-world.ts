import { ApiClient, testStack } from '@incident-sync/testing';
import { Rng } from './rng';

/**
 * The fault tier's model of the world: the linked incidents, what each field must end up as
 * (the oracle), and the edits a person makes on either side.
 *
 * The oracle follows libs/sync-domain's semantics (README §3): edits made one after the other
 * end with the last one; an edit of a field is made on the other side only once the previous
 * one has shown up on both sides (or by the same side again, a burst that coalesces), so every
 * such pair is sequential whatever the faults did. Conflicts are made on purpose: both sides
 * edit one agreed field within milliseconds, the non-owner first, so that under
 * last-write-wins (the later edit) and ownership-priority (the owner's) the owner's value must
 * win, and under manual-review a conflict must wait for an operator.
 */
export type Strategy = 'last-write-wins' | 'ownership-priority' | 'manual-review';
export type Side = 'platform' | 'pd';
export type Field = 'title' | 'severity' | 'status' | 'assigned_to' | 'escalation_policy';
export const FIELDS: readonly Field[] = ['title', 'severity', 'status', 'assigned_to', 'escalation_policy'];

export const USERS: Record<string, string> = { PUSR001: 'alice@example.com', PUSR002: 'bob@example.com', PUSR003: 'carol@example.com', PUSR004: 'dave@example.com' };
const USER_IDS = Object.keys(USERS);
const SEVERITIES = ['SEV-1', 'SEV-2', 'SEV-3', 'SEV-4'];
const POLICIES = ['PEP0001', 'PEP0002'];
/** Who owns a field by default (sync-domain README §3). */
const OWNER: Record<Field, Side> = { title: 'platform', severity: 'platform', status: 'platform', assigned_to: 'pd', escalation_policy: 'pd' };
const urgencyOf = (severity: string): 'high' | 'low' => (severity === 'SEV-1' || severity === 'SEV-2' ? 'high' : 'low');

export type Expectation =
  | { kind: 'value'; value: string | null }
  /** A side effect we cannot predict from outside (PagerDuty re-assigns on delegate): both sides must agree. */
  | { kind: 'unknown' }
  /** A deliberate manual-review conflict: an open conflict, or (if the edits were not concurrent after all) the later value. */
  | { kind: 'conflict'; platformValue: string; pdValue: string; later: string };

export type View = Record<Field, string | null>;

export interface Integration {
  strategy: Strategy;
  org: string;
  api: ApiClient;
  integrationId: string;
  slug: string;
  serviceId: string;
  incidentType: string;
}

export class Tracked {
  readonly expected = {} as Record<Field, Expectation>;
  readonly lastSide: Partial<Record<Field, Side>> = {};
  readonly notes: { text: string; from: Side }[] = [];
  readonly conflictFields = new Set<Field>();
  lastDescription: string | null = null;
  busy = false;

  constructor(readonly integration: Integration, readonly incidentId: string, readonly pdId: string, agreed: View) {
    for (const f of FIELDS) this.expected[f] = { kind: 'value', value: agreed[f] };
  }

  settled(field: Field, platform: View, pd: View): boolean {
    const e = this.expected[field];
    if (e.kind === 'value') return platform[field] === e.value && pd[field] === e.value;
    if (e.kind === 'unknown') return platform[field] === pd[field];
    return false;
  }

  /** May `side` edit `field` now without making the pair concurrent? */
  mayEdit(field: Field, side: Side, platform: View, pd: View): boolean {
    const e = this.expected[field];
    if (e.kind === 'conflict' || this.conflictFields.has(field)) return false;
    if (this.settled(field, platform, pd)) return true;
    return e.kind === 'value' && this.lastSide[field] === side;
  }
}

/** The platform incident in the oracle's vocabulary. */
export function platformView(incident: Record<string, any>): View {
  return {
    title: incident.title ?? null,
    severity: incident.severity ?? null,
    status: incident.status ?? null,
    assigned_to: incident.assigned_to ?? null,
    escalation_policy: incident.escalation_policy?.id ?? null,
  };
}

/** The PagerDuty incident in the platform's vocabulary; a priority whose urgency disagrees does not count as agreed. */
export function pagerDutyView(incident: Record<string, any>): View {
  const priority: string | undefined = incident.priority?.summary;
  let severity: string | null = priority && /^P[1-4]$/.test(priority) ? `SEV-${priority.slice(1)}` : priority ?? null;
  if (severity && SEVERITIES.includes(severity) && incident.urgency !== urgencyOf(severity)) severity = `${severity} (urgency ${incident.urgency})`;
  const status = ({ triggered: 'open', acknowledged: 'mitigated', resolved: 'resolved' } as Record<string, string>)[incident.status] ?? incident.status;
  const assignee: string | undefined = incident.assignments?.[0]?.assignee?.id;
  return {
    title: incident.title ?? null,
    severity,
    status,
    assigned_to: assignee ? USERS[assignee] ?? assignee : null,
    escalation_policy: incident.escalation_policy?.id ?? null,
  };
}

/** The simulator: PagerDuty reads as a user key (its own rate bucket; faults target the product's account key) and the /sim control API. */
export const sim = {
  rest: new ApiClient(testStack.simulatorUrl, undefined, { authorization: 'Token token=sim-user-token', accept: 'application/vnd.pagerduty+json;version=2' }),
  control: new ApiClient(testStack.simulatorUrl),
};

/** Calls until it gets a 2xx: during a crash, a restart or a PostgreSQL outage the product answers 5xx or nothing, and a person retries. */
export async function persist<T = any>(what: string, call: () => Promise<{ status: number; body: T }>, deadlineMs = 180000): Promise<T> {
  const until = Date.now() + deadlineMs;
  let last = '';
  for (let attempt = 0; Date.now() < until; attempt++) {
    try {
      const response = await call();
      if (response.status < 300) return response.body;
      last = `${response.status} ${JSON.stringify(response.body).slice(0, 300)}`;
      if (response.status < 500 && response.status !== 429 && response.status !== 408) throw new Error(`${what}: ${last}`);
    } catch (error) {
      if ((error as Error).message.startsWith(`${what}:`)) throw error;
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, Math.min(2000, 100 * 2 ** Math.min(attempt, 5))));
  }
  throw new Error(`${what}: no 2xx within ${deadlineMs} ms (last: ${last})`);
}

export async function readBoth(t: Tracked): Promise<{ platform: View; pd: View; platformRaw: Record<string, any>; pdRaw: Record<string, any> }> {
  const [platformRaw, pdBody] = await Promise.all([
    persist('GET platform incident', () => t.integration.api.get(`/api/v1/incidents/${t.incidentId}`)),
    persist('GET PagerDuty incident', () => sim.rest.get(`/incidents/${t.pdId}`)),
  ]);
  const pdRaw = (pdBody as Record<string, any>).incident;
  return { platform: platformView(platformRaw as Record<string, any>), pd: pagerDutyView(pdRaw), platformRaw: platformRaw as Record<string, any>, pdRaw };
}

export interface EditResult {
  edits: number;
  label: string;
}

const patch = (t: Tracked, body: Record<string, unknown>): Promise<unknown> => persist(`PATCH ${Object.keys(body).join(',')}`, () => t.integration.api.patch(`/api/v1/incidents/${t.incidentId}`, body));
const act = (t: Tracked, action: string, body: Record<string, unknown> = {}): Promise<unknown> => persist(`sim ${action}`, () => sim.control.post(`/sim/incidents/${t.pdId}/${action}`, body));

function set(t: Tracked, field: Field, value: string | null, side: Side): void {
  t.expected[field] = { kind: 'value', value };
  t.lastSide[field] = side;
}

const other = <T>(rng: Rng, items: readonly T[], not: unknown): T => rng.pick(items.filter((i) => i !== not));

/**
 * No edit sets a value the other side shows right now. Otherwise A → B → A on one side (a
 * burst, or PagerDuty's acknowledge then unacknowledge) leaves the other side showing A while
 * our write of B is still in flight: `settled` would then hold, the other side could edit, and
 * the late write of B would make that edit concurrent — a conflict the oracle never predicted.
 */
const fresh = <T extends string | null>(items: readonly T[], otherSide: string | null): T[] => items.filter((i) => i !== otherSide);

/**
 * One edit a person makes, chosen at random among those the oracle can predict right now.
 * Returns null when nothing may be edited on this incident at the moment.
 */
export async function randomEdit(t: Tracked, rng: Rng, platform: View, pd: View, conflictRate: number): Promise<EditResult | null> {
  const ok = (field: Field, side: Side): boolean => t.mayEdit(field, side, platform, pd);
  const settled = (...fields: Field[]): boolean => fields.every((f) => t.settled(f, platform, pd));
  const cur = (field: Field): string | null => { const e = t.expected[field]; return e.kind === 'value' ? e.value : null; };
  const candidates: (() => Promise<EditResult>)[] = [];

  if (rng.chance(conflictRate)) {
    const conflict = conflictEdit(t, rng, platform, pd);
    if (conflict) return conflict();
  }
  if (ok('title', 'platform')) candidates.push(async () => { const v = `t-${rng.int(1e9).toString(36)}`; await patch(t, { title: v }); set(t, 'title', v, 'platform'); return { edits: 1, label: 'platform title' }; });
  if (ok('severity', 'platform') && cur('severity')) candidates.push(async () => { const v = other(rng, fresh(SEVERITIES, pd.severity), cur('severity')); await patch(t, { severity: v }); set(t, 'severity', v, 'platform'); return { edits: 1, label: 'platform severity' }; });
  // Only open → mitigated: PagerDuty refuses acknowledged → triggered over REST (sync-domain README §12).
  // Status edits wait for the assignee to settle: our reassignment still in flight re-triggers
  // PagerDuty when it lands (PagerDuty pages the new assignee), undoing an acknowledgement made
  // meanwhile on either side — PagerDuty's behaviour, not a lost edit.
  if (ok('status', 'platform') && cur('status') === 'open' && pd.status !== 'mitigated' && settled('assigned_to')) {
    candidates.push(async () => { await patch(t, { status: 'mitigated' }); set(t, 'status', 'mitigated', 'platform'); return { edits: 1, label: 'platform status' }; });
  }
  if (ok('assigned_to', 'platform') && settled('status', 'escalation_policy')) {
    candidates.push(async () => {
      const v = other(rng, fresh(Object.values(USERS), pd.assigned_to), cur('assigned_to'));
      await patch(t, { assigned_to: v });
      set(t, 'assigned_to', v, 'platform');
      // PagerDuty re-triggers an acknowledged incident that is reassigned.
      if (cur('status') !== 'open') t.expected.status = { kind: 'unknown' };
      return { edits: 1, label: 'platform assignee' };
    });
  }
  // No platform escalation-policy edits: PagerDuty's own re-assignment that follows is a bot-authored
  // side effect only reconciliation sees (README §12); the policy is PagerDuty's field by default.
  candidates.push(async () => { const v = `d-${rng.int(1e9).toString(36)}`; await patch(t, { description: v }); t.lastDescription = v; return { edits: 1, label: 'platform description' }; });
  candidates.push(async () => { const v = `pn-${rng.int(1e9).toString(36)}`; await persist('POST note', () => t.integration.api.post(`/api/v1/incidents/${t.incidentId}/notes`, { body: v })); t.notes.push({ text: v, from: 'platform' }); return { edits: 1, label: 'platform note' }; });

  if (ok('status', 'pd') && cur('status') === 'open' && platform.status !== 'mitigated' && settled('assigned_to')) candidates.push(async () => { await act(t, 'acknowledge'); set(t, 'status', 'mitigated', 'pd'); return { edits: 1, label: 'PagerDuty acknowledge' }; });
  if (ok('status', 'pd') && cur('status') === 'mitigated' && platform.status !== 'open' && settled('assigned_to')) candidates.push(async () => { await act(t, 'unacknowledge'); set(t, 'status', 'open', 'pd'); return { edits: 1, label: 'PagerDuty unacknowledge' }; });
  if (ok('severity', 'pd') && cur('severity')) {
    candidates.push(async () => { const v = other(rng, fresh(SEVERITIES, platform.severity), cur('severity')); await act(t, 'priority', { priority: `P${v.slice(4)}` }); set(t, 'severity', v, 'pd'); return { edits: 1, label: 'PagerDuty priority' }; });
    // No urgency edits: PagerDuty sends no webhook for them; they wait for reconciliation (issue #14).
  }
  if (ok('assigned_to', 'pd') && settled('status', 'escalation_policy') && cur('assigned_to')) {
    candidates.push(async () => {
      const email = other(rng, fresh(Object.values(USERS), platform.assigned_to), cur('assigned_to'));
      await act(t, 'reassign', { user_id: USER_IDS.find((id) => USERS[id] === email) });
      set(t, 'assigned_to', email, 'pd');
      if (cur('status') === 'mitigated') set(t, 'status', 'open', 'pd');
      return { edits: 1, label: 'PagerDuty reassign' };
    });
  }
  if (ok('escalation_policy', 'pd') && settled('status', 'assigned_to') && fresh(POLICIES, platform.escalation_policy).some((p) => p !== cur('escalation_policy'))) {
    candidates.push(async () => {
      const v = other(rng, fresh(POLICIES, platform.escalation_policy), cur('escalation_policy'));
      await act(t, 'delegate', { escalation_policy_id: v });
      set(t, 'escalation_policy', v, 'pd');
      t.expected.assigned_to = { kind: 'unknown' };
      t.expected.status = { kind: 'unknown' };
      return { edits: 1, label: 'PagerDuty delegate' };
    });
  }
  candidates.push(async () => { const v = `dn-${rng.int(1e9).toString(36)}`; await act(t, 'notes', { content: v }); t.notes.push({ text: v, from: 'pd' }); return { edits: 1, label: 'PagerDuty note' }; });

  return candidates.length ? rng.pick(candidates)() : null;
}

/** Both sides edit one agreed field within milliseconds: the non-owner first, the owner right after. */
function conflictEdit(t: Tracked, rng: Rng, platform: View, pd: View): (() => Promise<EditResult>) | null {
  const fields = (['severity', 'assigned_to'] as const).filter((f) => t.settled(f, platform, pd) && t.expected[f].kind === 'value' && !t.conflictFields.has(f));
  if (fields.length === 0 || !t.settled('status', platform, pd) || t.expected.status.kind !== 'value' || (t.expected.status as { value: string }).value !== 'open') return null;
  const field = rng.pick(fields);
  const current = (t.expected[field] as { value: string | null }).value;
  if (field === 'assigned_to' && !t.settled('escalation_policy', platform, pd)) return null;
  const pool = field === 'severity' ? SEVERITIES : Object.values(USERS);
  const platformValue = other(rng, pool, current);
  const pdValue = other(rng, pool.filter((v) => v !== platformValue), current);
  const owner = OWNER[field];
  const viaPlatform = (): Promise<unknown> => patch(t, { [field]: platformValue });
  const viaPd = (): Promise<unknown> => (field === 'severity'
    ? act(t, 'priority', { priority: `P${pdValue.slice(4)}` })
    : act(t, 'reassign', { user_id: USER_IDS.find((id) => USERS[id] === pdValue) }));
  return async () => {
    if (owner === 'platform') { await viaPd(); await viaPlatform(); } else { await viaPlatform(); await viaPd(); }
    const later = owner === 'platform' ? platformValue : pdValue;
    if (t.integration.strategy === 'manual-review') {
      t.expected[field] = { kind: 'conflict', platformValue, pdValue, later };
      t.conflictFields.add(field);
    } else {
      set(t, field, later, owner);
    }
    return { edits: 2, label: `conflict on ${field}` };
  };
}

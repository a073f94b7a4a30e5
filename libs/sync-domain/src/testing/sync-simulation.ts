// An in-memory world for property tests: a platform incident and a PagerDuty incident, people
// editing both, the sync engine's queues (at-least-once, so deliveries can be duplicated and
// reordered) and the two write paths. The engine is this library, driven only through its
// public API, exactly as the sync-engine service drives it.
//
// Modelled on the real systems: platform changes carry old/new values and a version; our
// platform writes come back with origin = this integration. PagerDuty emits webhooks with a
// full incident snapshot for status, priority, assignee and escalation-policy changes, and
// none for title or urgency edits (FACTS §1.2); our PagerDuty writes come back as webhooks
// whose agent is the bot user. Commands to one side are applied in the order issued.
//
// Like the outbound-dispatcher, a PagerDuty request may coalesce several queued commands
// (later fields override earlier ones) and report its result per command: a field whose
// value a later command in the same request replaced is reported as superseded, never as
// written. A request may fail (PagerDuty 5xx) before or after PagerDuty stored it; its
// commands stay queued and are sent again. The bot's webhooks for a request can be delivered
// after later platform edits and after later requests (deliveries reorder freely).
import {
  acknowledgeWrite,
  createLinkState,
  decideInbound,
  decideOutbound,
  parsePagerDutyEvent,
  parsePagerDutyIncidentSnapshot,
  resolveConflict,
  valuesAgree,
  PAGERDUTY_STATUSES,
  PLATFORM_STATUSES,
  SEVERITIES,
  SYNC_FIELDS,
  isFieldSynced,
  type ConflictRecord,
  type EpochMs,
  type ExternalFieldValues,
  type ExternalWrite,
  type FieldDecision,
  type IntegrationSettings,
  type LinkState,
  type OperatorDecision,
  type PagerDutyStatus,
  type PlatformChange,
  type PlatformFieldValues,
  type PlatformWrite,
  type SyncDecision,
  type SyncField,
  type WriteAcknowledgement,
} from '../index';
import { BOT, T0, USERS, externalValues, noteWebhook, platformValues, webhook } from './sync-builders';

export const PLATFORM_DOMAINS: { [F in SyncField]: readonly PlatformFieldValues[F][] } = {
  title: ['Checkout latency', 'Checkout down', 'Payments degraded'],
  description: [null, 'p99 above 2s', 'all requests failing'],
  severity: SEVERITIES,
  status: PLATFORM_STATUSES,
  assigned_to: [null, ...USERS.map((u) => u.email)],
  escalation_policy: [null, 'PEP0001', 'PEP0002'],
};

export const PAGERDUTY_EDITS = ['title', 'urgency', 'priority', 'status', 'assignee', 'escalation_policy'] as const;
export type PagerDutyEdit = (typeof PAGERDUTY_EDITS)[number];
/** PagerDuty edits that produce a webhook (title and urgency edits do not). */
export const VISIBLE_PAGERDUTY_EDITS: readonly PagerDutyEdit[] = ['priority', 'status', 'assignee', 'escalation_policy'];

const PD_DOMAINS = {
  title: ['Checkout latency', 'Checkout down', 'Payments degraded'],
  urgency: ['high', 'low'],
  priority: ['P1', 'P2', 'P3', 'P4', 'P5'],
  status: PAGERDUTY_STATUSES,
  assignee: USERS.map((u) => u.pagerDutyUserId),
  escalation_policy: ['PEP0001', 'PEP0002'],
} as const;

export type SimAction =
  | { kind: 'platform-edit'; field: SyncField; pick: number }
  | { kind: 'pagerduty-edit'; what: PagerDutyEdit; pick: number }
  | { kind: 'pagerduty-note' }
  | { kind: 'deliver'; pick: number; duplicate: boolean }
  | { kind: 'apply-platform-command' }
  | { kind: 'apply-pagerduty-command'; merge?: number; failure?: 'none' | 'before-stored' | 'after-stored' }
  | { kind: 'tick'; ms: number }
  | { kind: 'operator-resolve'; pick: number; choice: number };

type Message =
  | { kind: 'webhook'; payload: unknown }
  | { kind: 'platform-change'; change: PlatformChange }
  | { kind: 'ack'; ack: WriteAcknowledgement }
  /** One dispatcher result: the acknowledgements of the commands one request carried, in order. */
  | { kind: 'acks'; acks: WriteAcknowledgement[] };

const pick = <T>(values: readonly T[], index: number): T => {
  const value = values[Math.abs(index) % values.length];
  if (value === undefined) throw new Error('empty domain');
  return value;
};

export class SyncSimulation {
  now: EpochMs = T0;
  platform: { values: PlatformFieldValues; version: number } = { values: platformValues(), version: 1 };
  pagerDuty: ExternalFieldValues = externalValues();
  state: LinkState;
  readonly inbox: Message[] = [];
  readonly platformQueue: PlatformWrite[] = [];
  readonly pagerDutyQueue: ExternalWrite[] = [];
  readonly stats = { humanEdits: 0, operatorDecisions: 0, fieldWrites: 0 };
  /** The value of each platform field as a person last set it on the platform. */
  readonly lastPlatformEdit: Partial<PlatformFieldValues> = {};
  readonly violations: string[] = [];
  readonly decisions: FieldDecision[] = [];
  /** Every conflict ever opened, and every field written while its conflict was open. */
  readonly conflictsOpened: ConflictRecord[] = [];
  readonly timelineKeys = new Set<string>();
  readonly humanNoteKeys = new Set<string>();
  private readonly botNoteKeys = new Set<string>();
  private noteSeq = 0;

  constructor(readonly settings: IntegrationSettings) {
    this.state = createLinkState(
      {
        linkId: 'link-1',
        platform: { values: this.platform.values, version: 1, at: this.now },
        external: { values: this.pagerDuty, at: this.now },
      },
      settings,
      this.now,
    );
  }

  run(actions: readonly SimAction[]): void {
    for (const action of actions) this.step(action);
  }

  step(action: SimAction): void {
    switch (action.kind) {
      case 'platform-edit':
        return this.platformEdit(action.field, pick(PLATFORM_DOMAINS[action.field], action.pick));
      case 'pagerduty-edit':
        return this.pagerDutyEdit(action.what, action.pick);
      case 'pagerduty-note':
        return this.pagerDutyNote();
      case 'deliver':
        return this.deliver(action.pick, action.duplicate);
      case 'apply-platform-command':
        return this.applyPlatformCommand();
      case 'apply-pagerduty-command':
        return this.applyPagerDutyCommand(action.merge ?? 1, action.failure ?? 'none');
      case 'tick':
        this.now += action.ms;
        return;
      case 'operator-resolve':
        return this.operatorResolve(action.pick, action.choice);
    }
  }

  /** A person edits the platform incident. */
  platformEdit<F extends SyncField>(field: F, value: PlatformFieldValues[F]): void {
    const old = this.platform.values[field];
    if (old === value) return;
    this.platform.values = { ...this.platform.values, [field]: value };
    this.platform.version += 1;
    this.stats.humanEdits += 1;
    Object.assign(this.lastPlatformEdit, { [field]: value });
    this.inbox.push({
      kind: 'platform-change',
      change: {
        version: this.platform.version,
        occurredAt: this.now,
        origin: { type: 'user', actor: 'alice@example.com' },
        changes: { [field]: { old, new: value } },
      },
    });
  }

  /** A person edits the PagerDuty incident. */
  pagerDutyEdit(what: PagerDutyEdit, index: number): void {
    const before = this.pagerDuty;
    const next: ExternalFieldValues = { ...before, severity: { ...before.severity } };
    let eventType: string | null = null;
    switch (what) {
      case 'title':
        next.title = pick(PD_DOMAINS.title, index);
        break;
      case 'urgency':
        next.severity.urgency = pick(PD_DOMAINS.urgency, index);
        break;
      case 'priority':
        next.severity.priority = pick(PD_DOMAINS.priority, index);
        eventType = 'incident.priority_updated';
        break;
      case 'status':
        next.status = pick(PD_DOMAINS.status, index);
        eventType = statusEvent(before.status, next.status);
        break;
      case 'assignee':
        if (before.status === 'resolved') return; // PagerDuty does not reassign resolved incidents
        next.assigned_to = pick(PD_DOMAINS.assignee, index);
        eventType = 'incident.reassigned';
        break;
      case 'escalation_policy':
        next.escalation_policy = pick(PD_DOMAINS.escalation_policy, index);
        eventType = 'incident.delegated';
        break;
    }
    if (JSON.stringify(next) === JSON.stringify(before)) return;
    // One person's PagerDuty actions on an incident are at least a millisecond apart.
    this.now += 1;
    this.pagerDuty = next;
    this.stats.humanEdits += 1;
    if (eventType !== null) {
      this.inbox.push({ kind: 'webhook', payload: webhook(eventType, next, { at: this.now, agent: 'PHUMAN1' }) });
    }
  }

  pagerDutyNote(): void {
    this.noteSeq += 1;
    const noteId = `PHNOTE${this.noteSeq}`;
    this.humanNoteKeys.add(`pagerduty-note:${noteId}`);
    this.inbox.push({ kind: 'webhook', payload: noteWebhook(`human note ${this.noteSeq}`, { at: this.now, noteId }) });
  }

  deliver(index: number, duplicate: boolean): void {
    if (this.inbox.length === 0) return;
    const at = Math.abs(index) % this.inbox.length;
    const message = this.inbox[at];
    if (message === undefined) return;
    if (!duplicate) this.inbox.splice(at, 1);
    this.process(message);
  }

  /**
   * Like deliver, but PagerDuty webhooks leave in the order they were sent (PagerDuty's
   * per-incident ordering, kept by the per-incident Kafka key); other messages interleave freely.
   */
  deliverKeepingPagerDutyOrder(index: number, duplicate: boolean): void {
    if (this.inbox.length === 0) return;
    let at = Math.abs(index) % this.inbox.length;
    if (this.inbox[at]?.kind === 'webhook') at = this.inbox.findIndex((m) => m.kind === 'webhook');
    const message = this.inbox[at];
    if (message === undefined) return;
    if (!duplicate) this.inbox.splice(at, 1);
    this.process(message);
  }

  process(message: Message): void {
    switch (message.kind) {
      case 'webhook': {
        const change = parsePagerDutyEvent(message.payload, this.settings.priorityMapping);
        this.absorb(decideInbound(this.state, change, this.settings, this.now), 'event');
        return;
      }
      case 'platform-change': {
        const ours = message.change.origin.type === 'integration';
        this.absorb(decideOutbound(this.state, message.change, this.settings, this.now), ours ? 'echo' : 'event');
        return;
      }
      case 'ack':
        this.absorb(acknowledgeWrite(this.state, message.ack, this.settings, this.now), 'echo');
        return;
      case 'acks':
        for (const ack of message.acks) this.absorb(acknowledgeWrite(this.state, ack, this.settings, this.now), 'echo');
        return;
    }
  }

  /** The incidents service applies our next command. */
  applyPlatformCommand(): void {
    const command = this.platformQueue.shift();
    if (command === undefined) return;
    this.now += 1;
    const changes: PlatformChange['changes'] = {};
    const next = { ...this.platform.values };
    for (const field of SYNC_FIELDS) {
      if (!(field in command.set)) continue;
      const value = command.set[field];
      if (value === undefined || JSON.stringify(value) === JSON.stringify(next[field])) continue;
      Object.assign(changes, { [field]: { old: next[field], new: value } });
      Object.assign(next, { [field]: value });
    }
    if (Object.keys(changes).length > 0) {
      this.platform.values = next;
      this.platform.version += 1;
      this.inbox.push({
        kind: 'platform-change',
        change: {
          version: this.platform.version,
          occurredAt: this.now,
          origin: { type: 'integration', integrationId: this.settings.integrationId, commandId: command.commandId },
          changes,
        },
      });
    }
    this.inbox.push({ kind: 'ack', ack: { side: 'platform', commandId: command.commandId, stamp: this.platform.version } });
  }

  /**
   * The dispatcher sends our next PagerDuty request (as the bot user): the next `merge` queued
   * commands coalesced into one PUT (later fields override earlier ones). A failure before
   * PagerDuty stored it changes nothing; after it stored it, PagerDuty changed (and sent its
   * webhooks) but no result comes back. Either way the commands stay queued for a retry. On
   * success one result acknowledges every command it carried, field by field.
   */
  applyPagerDutyCommand(merge = 1, failure: 'none' | 'before-stored' | 'after-stored' = 'none'): void {
    const unit = this.pagerDutyQueue.slice(0, Math.max(1, merge));
    if (unit.length === 0) return;
    if (failure === 'before-stored') return;
    // Our write lands at its own millisecond (PagerDuty's clock moves on between requests).
    this.now += 1;
    const before = this.pagerDuty;
    const next: ExternalFieldValues = { ...before, severity: { ...before.severity } };
    const notes: string[] = [];
    for (const command of unit) {
      const u = command.update;
      if (u.title !== undefined) next.title = u.title;
      if (u.status !== undefined) next.status = u.status;
      if (u.urgency !== undefined) next.severity.urgency = u.urgency;
      if (u.priority !== undefined) next.severity.priority = u.priority;
      if (u.assigneeId !== undefined) next.assigned_to = u.assigneeId;
      if (u.escalationPolicyId !== undefined) next.escalation_policy = u.escalationPolicyId;
      if (command.note !== null) {
        next.description = descriptionFromNote(command.note);
        notes.push(command.note);
      }
    }
    this.pagerDuty = next;
    const events: string[] = [];
    if (next.status !== before.status) events.push(statusEvent(before.status, next.status));
    if (next.severity.priority !== before.severity.priority) events.push('incident.priority_updated');
    if (next.assigned_to !== before.assigned_to) events.push('incident.reassigned');
    if (next.escalation_policy !== before.escalation_policy) events.push('incident.delegated');
    for (const eventType of events) {
      this.inbox.push({ kind: 'webhook', payload: webhook(eventType, next, { at: this.now, agent: BOT }) });
    }
    for (const note of notes) {
      this.noteSeq += 1;
      const noteId = `PBNOTE${this.noteSeq}`;
      this.botNoteKeys.add(`pagerduty-note:${noteId}`);
      this.inbox.push({ kind: 'webhook', payload: noteWebhook(note, { at: this.now, agent: BOT, noteId }) });
    }
    if (failure === 'after-stored') return;
    this.pagerDutyQueue.splice(0, unit.length);
    const acks = unit.map((command, i): WriteAcknowledgement => {
      const superseded = supersededFields(command, unit.slice(i + 1));
      return {
        side: 'external',
        commandId: command.commandId,
        stamp: this.now,
        ...(superseded.length > 0 ? { superseded } : {}),
      };
    });
    this.inbox.push(acks.length === 1 && acks[0] !== undefined ? { kind: 'ack', ack: acks[0] } : { kind: 'acks', acks });
  }

  /** Drift repair: read the PagerDuty incident over REST and feed it through the same rules. */
  reconcile(): void {
    this.now += 1;
    const rest = {
      incident: {
        id: 'PINC001',
        type: 'incident',
        title: this.pagerDuty.title,
        status: this.pagerDuty.status,
        urgency: this.pagerDuty.severity.urgency,
        priority:
          this.pagerDuty.severity.priority === null
            ? null
            : { id: `PRI-${this.pagerDuty.severity.priority}`, summary: this.pagerDuty.severity.priority },
        assignments:
          this.pagerDuty.assigned_to === null ? [] : [{ assignee: { id: this.pagerDuty.assigned_to, type: 'user_reference' } }],
        escalation_policy: this.pagerDuty.escalation_policy === null ? null : { id: this.pagerDuty.escalation_policy },
      },
    };
    const change = parsePagerDutyIncidentSnapshot(rest, this.now, this.settings.priorityMapping);
    this.absorb(decideInbound(this.state, change, this.settings, this.now), 'event');
  }

  openConflicts(): ConflictRecord[] {
    return this.state.conflicts.filter((conflict) => conflict.status === 'open');
  }

  operatorResolve(index: number, choice: number): void {
    const open = this.openConflicts();
    if (open.length === 0) return;
    const conflict = pick(open, index);
    const decision = operatorDecision(conflict, choice);
    this.stats.operatorDecisions += 1;
    this.absorb(resolveConflict(this.state, conflict.id, decision, this.settings, this.now, 'op'), 'operator', conflict.field);
  }

  /** Deliveries stop: drain every queue (bounded — an echo loop would never drain). */
  settle(limit = 2_000): boolean {
    for (let i = 0; i < limit; i += 1) {
      if (this.inbox.length > 0) this.deliver(0, false);
      else if (this.pagerDutyQueue.length > 0) this.applyPagerDutyCommand();
      else if (this.platformQueue.length > 0) this.applyPlatformCommand();
      else return true;
    }
    this.violations.push(`queues did not drain within ${limit} steps (write loop?)`);
    return false;
  }

  /** Drain, repair drift, and (manual-review) let an operator decide every open conflict. */
  finish(choice = 0): void {
    for (let round = 0; round < 8; round += 1) {
      if (!this.settle()) return;
      this.reconcile();
      if (!this.settle()) return;
      const open = this.openConflicts();
      if (open.length === 0 && this.idle()) return;
      open.forEach((_, i) => this.operatorResolve(0, choice + i));
    }
    if (this.openConflicts().length > 0 || !this.idle()) this.violations.push('did not finish');
  }

  idle(): boolean {
    return this.inbox.length === 0 && this.platformQueue.length === 0 && this.pagerDutyQueue.length === 0;
  }

  /** Fields on which the two incidents do not say the same thing. */
  divergentFields(): SyncField[] {
    return SYNC_FIELDS.filter(
      (field) =>
        isFieldSynced(this.settings, field) &&
        !agree(field, this.platform.values, this.pagerDuty, this.settings),
    );
  }

  private absorb(decision: SyncDecision, source: 'event' | 'echo' | 'operator', released?: SyncField): void {
    const before = this.state;
    const written = writtenFields(decision);
    for (const field of written) {
      const frozenBefore = before.fields[field].conflictId !== null && field !== released;
      const frozenAfter = decision.state.fields[field].conflictId !== null;
      if (frozenBefore || frozenAfter) {
        this.violations.push(`${field} was written while frozen by a conflict`);
      }
    }
    // An acknowledgement may reveal a PagerDuty edit hidden behind our write (title and
    // urgency have no webhook); deciding that edit is not an echo. Anything else is.
    const discovered = decision.decisions.some(
      (d) => d.side === 'external' && !['write-confirmed', 'echo', 'stale'].includes(d.outcome),
    );
    if (source === 'echo' && written.length > 0 && !discovered) {
      this.violations.push(`an echo or acknowledgement caused writes to ${written.join(', ')}`);
    }
    this.stats.fieldWrites += written.length;
    if (decision.platformWrite !== null) this.platformQueue.push(decision.platformWrite);
    if (decision.externalWrite !== null) this.pagerDutyQueue.push(decision.externalWrite);
    for (const entry of decision.timeline) {
      if (this.botNoteKeys.has(entry.dedupeKey)) this.violations.push('our own note was copied to the platform timeline');
      this.timelineKeys.add(entry.dedupeKey);
    }
    this.conflictsOpened.push(...decision.conflictsOpened);
    this.decisions.push(...decision.decisions);
    this.state = decision.state;
  }
}

function agree<F extends SyncField>(
  field: F,
  platform: PlatformFieldValues,
  pagerDuty: ExternalFieldValues,
  settings: IntegrationSettings,
): boolean {
  return valuesAgree(field, platform[field], pagerDuty[field], settings);
}

/** Field writes in a decision, one per field per side. */
export function writtenFields(decision: SyncDecision): SyncField[] {
  const fields: SyncField[] = [];
  if (decision.platformWrite !== null) fields.push(...(Object.keys(decision.platformWrite.set) as SyncField[]));
  const external = decision.externalWrite;
  if (external !== null) {
    const u = external.update;
    if (u.title !== undefined) fields.push('title');
    if (u.status !== undefined) fields.push('status');
    if (u.urgency !== undefined || u.priority !== undefined) fields.push('severity');
    if (u.assigneeId !== undefined) fields.push('assigned_to');
    if (u.escalationPolicyId !== undefined) fields.push('escalation_policy');
    if (external.note !== null) fields.push('description');
  }
  return fields;
}

/**
 * The fields of `command` whose value the request did not carry because a later command in
 * the same request set a different value (what the dispatcher reports per command).
 */
function supersededFields(command: ExternalWrite, later: readonly ExternalWrite[]): SyncField[] {
  const u = command.update;
  const replaced = <K extends keyof ExternalWrite['update']>(key: K): boolean =>
    u[key] !== undefined && later.some((c) => c.update[key] !== undefined && JSON.stringify(c.update[key]) !== JSON.stringify(u[key]));
  const fields: SyncField[] = [];
  if (replaced('title')) fields.push('title');
  if (replaced('status')) fields.push('status');
  if (replaced('urgency') || replaced('priority')) fields.push('severity');
  if (replaced('assigneeId')) fields.push('assigned_to');
  if (replaced('escalationPolicyId')) fields.push('escalation_policy');
  // Notes are never coalesced: each one is its own request, so a description is always sent.
  return fields;
}

function operatorDecision(conflict: ConflictRecord, choice: number): OperatorDecision {
  switch (Math.abs(choice) % 3) {
    case 0:
      return { kind: 'take-platform' };
    case 1:
      return { kind: 'take-external' };
    default:
      return { kind: 'take-value', value: pick(PLATFORM_DOMAINS[conflict.field], choice) };
  }
}

function statusEvent(from: PagerDutyStatus, to: PagerDutyStatus): string {
  if (to === 'resolved') return 'incident.resolved';
  if (from === 'resolved') return 'incident.reopened';
  return to === 'acknowledged' ? 'incident.acknowledged' : 'incident.unacknowledged';
}

const NOTE_PREFIX = 'Description updated on the Incidents platform:\n\n';
function descriptionFromNote(note: string): string | null {
  return note.startsWith(NOTE_PREFIX) ? note.slice(NOTE_PREFIX.length) : null;
}

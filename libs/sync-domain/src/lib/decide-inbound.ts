import { DecisionBuilder } from './decision-builder';
import { decideAwaitingChanges, decideFieldChange } from './decide-field-change';
import { codecFor } from './field-codec.mapping';
import {
  confirmTarget,
  echoedWriteIndex,
  isNewer,
  landedBound,
  observation,
  settleWrites,
  valueBefore,
} from './field-observation';
import { isFieldSynced, type IntegrationSettings } from './integration-settings';
import type { LinkState, Observation } from './link-state.types';
import { planFieldWrites } from './plan-field-writes';
import { fieldLabel, formatTime } from './reason-text';
import type { SyncDecision } from './sync-decision.types';
import { SYNC_FIELDS, type EpochMs, type ExternalFieldValues, type SyncField } from './sync-field.types';
import type { ExternalChange } from './sync-input.types';

/**
 * Who made a PagerDuty change, as far as echo suppression can tell:
 * - `ours`: the agent is our bot user — whatever it did came from our commands;
 * - `someone-else`: another agent while a bot user is configured — never an echo, even when
 *   the value happens to equal one we are writing;
 * - `unknown`: no agent (automation, reconciliation reads) or no bot user configured — a
 *   value equal to one of our pending writes is taken as its echo.
 */
const RECENT_EVENT_IDS_KEPT = 64;

export type ExternalAuthorship = 'ours' | 'someone-else' | 'unknown';

export function authorshipOf(change: ExternalChange, settings: IntegrationSettings): ExternalAuthorship {
  const bot = settings.botUserId ?? null;
  if (bot === null) return 'unknown';
  if (change.agentId === bot) return 'ours';
  return change.agentId === null ? 'unknown' : 'someone-else';
}

/**
 * Decides what a PagerDuty change (a parsed webhook or reconciliation snapshot) means for
 * the link: which fields the platform must be set to, which PagerDuty fields must be
 * re-aligned, which conflicts open, which timeline entries to add. Pure: `state` is not
 * modified; the next state is returned.
 */
export function decideInbound(
  state: LinkState,
  change: ExternalChange,
  settings: IntegrationSettings,
  now: EpochMs,
): SyncDecision {
  const b = new DecisionBuilder(state, settings, now);
  if (change.classification !== 'handled') {
    b.record({
      field: null,
      side: 'external',
      outcome: 'ignored-event',
      reason: change.note ?? `PagerDuty event ${change.eventType} is not acted on.`,
    });
    return b.result();
  }

  if (change.eventId !== '' && b.state.recentEventIds.includes(change.eventId)) {
    b.record({
      field: null,
      side: 'external',
      outcome: 'stale',
      reason: `PagerDuty event ${change.eventId} (${change.eventType}) was already processed; a redelivery changes nothing.`,
    });
    return b.result();
  }
  if (change.eventId !== '') {
    b.state.recentEventIds = [...b.state.recentEventIds, change.eventId].slice(-RECENT_EVENT_IDS_KEPT);
  }

  const authorship = authorshipOf(change, settings);
  for (const field of SYNC_FIELDS) observeExternalField(b, field, change, authorship);
  decideAwaitingChanges(b);
  addTimeline(b, change, authorship);
  addLabels(b, change);

  const newestBefore = b.state.lastExternalEventAt;
  if (newestBefore === null || change.occurredAt > newestBefore) {
    b.state.lastExternalEventAt = change.occurredAt;
  }
  if (b.decisions.length === 0) {
    const stale = newestBefore !== null && change.occurredAt < newestBefore;
    b.record({
      field: null,
      side: 'external',
      outcome: stale ? 'stale' : 'no-change',
      reason: stale
        ? `PagerDuty ${change.eventType} at ${formatTime(change.occurredAt)} is older than the newest PagerDuty event already processed (${formatTime(newestBefore)}); its values are superseded.`
        : `PagerDuty ${change.eventType} at ${formatTime(change.occurredAt)} changes nothing that is synced.`,
    });
  }
  return b.result();
}

function observeExternalField<F extends SyncField>(
  b: DecisionBuilder,
  field: F,
  change: ExternalChange,
  authorship: ExternalAuthorship,
): void {
  const value: ExternalFieldValues[F] | undefined = change.observed[field];
  if (value === undefined || !isFieldSynced(b.settings, field)) return;
  const state = b.state.fields[field];
  const codec = codecFor(field);
  const equal = (x: ExternalFieldValues[F], y: ExternalFieldValues[F]): boolean =>
    codec.eqExternal(x, y, b.settings);
  const stamp = change.occurredAt;
  const sourceId = change.eventId === '' ? null : change.eventId;
  // The echo of our own create (`incident.triggered` by the bot) is about every field we sent
  // and is still pending; a field we did not send (PagerDuty picked the on-call assignee) is
  // PagerDuty's own value.
  const primary =
    change.primaryFields.includes(field) ||
    (authorship === 'ours' &&
      change.eventType === 'incident.triggered' &&
      state.pending.external.length > 0);
  const previous = state.external;
  // Snapshot fields only move forward on a strictly later event; two events in the same
  // millisecond may arrive in either order, so there only the field an event is about counts.
  const newest = primary ? isNewer(previous, stamp, sourceId) : previous === null || stamp > previous.stamp;
  const pending = state.pending.external;
  const match = echoedWriteIndex(pending, value, stamp, equal);

  // Echo: what our bot's event is about is our own action — proof that the matching write
  // (and every earlier one) landed. Any other value equal to a pending write is taken as its
  // echo too, unless a known person made the event; but that is no proof of landing (the
  // snapshot of a bot event about another field, or a coincidence), so the write stays pending.
  // A person's event speaks for its primary field only: its other snapshot fields show
  // whatever PagerDuty holds, typically one of our writes that landed meanwhile.
  const ourAction = authorship === 'ours' && primary;
  const echo = ourAction || (match >= 0 && (authorship !== 'someone-else' || !primary));

  // An observation taken as our echo is marked ours: it is never a person's edit hidden
  // behind an earlier write of ours (§4.3), it is a later write of ours landing.
  if (newest) state.external = observation(previous, value, stamp, stamp, sourceId, echo);
  if (echo) {
    if (ourAction && match >= 0) {
      state.pending.external = settleWrites(pending, match, landedBound(previous, stamp, newest));
    }
    if (state.target !== null && equal(value, state.target.external)) {
      confirmTarget(state, 'external', stamp, b.now);
    }
    b.record({
      field,
      side: 'external',
      outcome: 'echo',
      reason: `PagerDuty reports ${fieldLabel(field)} ${codec.describeExternal(value)} at ${formatTime(stamp)}, which is our own write coming back (${ourAction ? 'made by our bot user' : 'equal to a write we issued'}); nothing is sent back.`,
    });
    // Our bot's late event proves our write landed at `stamp`, like an acknowledgement does.
    if (ourAction && !newest) decideHiddenEditAfterWrite(b, field, previous, value, stamp);
    if (ourAction && newest && match < 0) realignAfterStaleLanding(b, field, value, stamp);
    return;
  }

  // A change: what the event is about (its primary field), or a snapshot field that differs
  // from the newest thing we know. An older event still counts for its primary field when a
  // known person made it and no later change to the field was applied: a person's edit that
  // our own in-flight write overwrote on PagerDuty. Without a bot user we cannot tell such a
  // late event from our own late echo, so it is dropped as stale.
  const differs = newest && (previous === null || !equal(value, previous.value));
  const lateButReal = !newest && authorship === 'someone-else';
  const isChange =
    ((primary && (newest || lateButReal)) || differs) && isNewer(state.lastChange.external, stamp, sourceId);
  if (!isChange) {
    if (newest && state.target !== null && equal(value, state.target.external)) {
      confirmTarget(state, 'external', stamp, b.now);
    }
    if (!newest && primary) {
      b.record({
        field,
        side: 'external',
        outcome: 'stale',
        reason: `PagerDuty ${change.eventType} at ${formatTime(stamp)} was already processed or is older than the last change applied to ${fieldLabel(field)}; it is superseded.`,
      });
    }
    return;
  }
  // A new PagerDuty value that means the same (P4 → P5 when both map to SEV-4) changes
  // nothing on the platform and is no change to sync or to conflict over.
  const before = newest ? (previous === null ? null : { value: previous.value }) : valueBefore(previous, stamp);
  if (
    before !== null &&
    JSON.stringify(value) !== JSON.stringify(before.value) &&
    equal(value, before.value)
  ) {
    state.lastChange.external = observation(state.lastChange.external, value, stamp, stamp, sourceId);
    b.record({
      field,
      side: 'external',
      outcome: 'no-change',
      reason: `PagerDuty changed ${fieldLabel(field)} from ${codec.describeExternal(before.value)} to ${codec.describeExternal(value)} at ${formatTime(stamp)}, which means the same on the platform; nothing to copy.`,
    });
    realignAfterEquivalentChange(b, field, value);
    return;
  }
  if (!b.flow.inbound) {
    b.record(blockedDecision(b, field));
    return;
  }

  decideExternalChange(b, field, {
    value,
    previous: before?.value ?? null,
    stamp,
    sourceId,
    priorityChanged: primary && field === 'severity',
    actor: actorOf(change),
  });
}

/**
 * PagerDuty reports no title or urgency edits (FACTS §1.2). Once our write of `written` is
 * known to have landed at `landedAt` (an acknowledgement, or our bot's event arriving late),
 * an observation `seen` from after it that differs from it and was not taken as a change (it
 * looked like the value before our write) is a person's edit made after our write: it is
 * decided now, as PagerDuty's change at that observation.
 */
export function decideHiddenEditAfterWrite<F extends SyncField>(
  b: DecisionBuilder,
  field: F,
  seen: Observation<ExternalFieldValues[F]> | null,
  written: ExternalFieldValues[F],
  landedAt: number,
): void {
  const state = b.state.fields[field];
  const codec = codecFor(field);
  if (
    seen !== null &&
    seen.ours !== true &&
    seen.stamp > landedAt &&
    !codec.eqExternal(seen.value, written, b.settings) &&
    isNewer(state.lastChange.external, seen.stamp, null) &&
    b.flow.inbound
  ) {
    decideExternalChange(b, field, {
      value: seen.value,
      previous: written,
      stamp: seen.stamp,
      sourceId: null,
      priorityChanged: false,
      actor: 'by someone on PagerDuty after our write (seen in a later webhook)',
    });
  }
}

/**
 * Our bot set PagerDuty to `value`, the newest thing PagerDuty reports, yet no write of ours
 * is pending with it: an earlier write landing again (a request retried after PagerDuty had
 * already stored it) after the link moved on. It is our echo, never a person's edit, so it is
 * not copied to the platform; but PagerDuty no longer holds the target, and with no write of
 * ours still to land after it, PagerDuty is set back to the target.
 */
function realignAfterStaleLanding<F extends SyncField>(
  b: DecisionBuilder,
  field: F,
  value: ExternalFieldValues[F],
  stamp: number,
): void {
  const state = b.state.fields[field];
  const target = state.target;
  const codec = codecFor(field);
  if (target === null || state.conflictId !== null || state.pending.external.length > 0) return;
  if (codec.eqExternal(value, target.external, b.settings)) return;
  b.record({
    field,
    side: 'external',
    outcome: 'echo-realigned',
    reason: `Our earlier write of ${fieldLabel(field)} = ${codec.describeExternal(value)} landed on PagerDuty again at ${formatTime(stamp)} (a retried request), after the link had moved on to ${codec.describeExternal(target.external)}; PagerDuty is set back to it.`,
  });
  planFieldWrites(b, field);
}

/**
 * A PagerDuty change that means the same as the value it replaced copies nothing, but the
 * value it replaced may not have been what PagerDuty actually held: one of our writes may
 * have landed in between (e.g. we lowered the urgency after P4 was set; a person then raised
 * the urgency, which has no webhook, and set P5). PagerDuty is re-aligned with the target
 * wherever the new value contradicts it, keeping the person's equivalent choice (P5 rather
 * than P4) when it means the same as the target.
 */
function realignAfterEquivalentChange<F extends SyncField>(
  b: DecisionBuilder,
  field: F,
  value: ExternalFieldValues[F],
): void {
  const state = b.state.fields[field];
  const target = state.target;
  if (target === null || state.conflictId !== null) return;
  const codec = codecFor(field);
  const aligned = codec.align(value, target.platform, b.settings);
  if (codec.eqExternal(aligned, target.external, b.settings)) target.external = aligned;
  planFieldWrites(b, field);
}

/**
 * Decides a change PagerDuty made to one field (already known not to be our echo and not
 * stale): reads it as a platform value and hands it to the conflict rules.
 */
export function decideExternalChange<F extends SyncField>(
  b: DecisionBuilder,
  field: F,
  change: {
    value: ExternalFieldValues[F];
    previous: ExternalFieldValues[F] | null;
    stamp: number;
    sourceId: string | null;
    priorityChanged: boolean;
    actor: string;
  },
): void {
  const state = b.state.fields[field];
  const codec = codecFor(field);
  const { value, stamp } = change;
  const read = codec.fromExternal(
    value,
    {
      previous: change.previous,
      current: state.target?.platform ?? state.platform?.value ?? null,
      priorityChanged: change.priorityChanged,
    },
    b.settings,
  );
  state.lastChange.external = observation(state.lastChange.external, value, stamp, stamp, change.sourceId);
  if (!read.ok) {
    b.record({ field, side: 'external', outcome: read.outcome, reason: `${read.reason}.` });
    return;
  }
  decideFieldChange(b, field, {
    side: 'external',
    platformValue: read.value,
    externalValue: codec.align(value, read.value, b.settings),
    reportedExternal: value,
    stamp,
    at: stamp,
    actor: change.actor,
  });
}

function blockedDecision(b: DecisionBuilder, field: SyncField): SyncDecision['decisions'][number] {
  const paused = !b.settings.enabled || b.settings.direction === 'none';
  return {
    field,
    side: 'external',
    outcome: paused ? 'sync-paused' : 'direction-blocked',
    reason: paused
      ? `PagerDuty changed ${fieldLabel(field)}, but the integration is ${b.settings.enabled ? 'set to sync in no direction' : 'disabled'}; the change is recorded and not copied.`
      : `PagerDuty changed ${fieldLabel(field)}, but the integration only syncs from the platform to PagerDuty; the change is recorded and not copied.`,
  };
}

function actorOf(change: ExternalChange): string {
  if (change.eventType === 'reconciliation.snapshot') return '(found by reconciliation)';
  if (change.agentName !== null) return `by ${change.agentName}`;
  if (change.agentId !== null) return `by PagerDuty user ${change.agentId}`;
  return 'by PagerDuty automation';
}

function addTimeline(b: DecisionBuilder, change: ExternalChange, authorship: ExternalAuthorship): void {
  for (const entry of change.timeline) {
    if (entry.kind !== 'note' && !b.settings.syncEscalations) {
      b.record({
        field: null,
        side: 'external',
        outcome: 'field-not-synced',
        reason: `"${entry.text}" is not added to the platform timeline: escalation sync is off.`,
      });
      continue;
    }
    if (authorship === 'ours' || (entry.kind === 'note' && isOurNote(b, entry.text))) {
      b.record({
        field: null,
        side: 'external',
        outcome: 'echo',
        reason: `PagerDuty reports ${entry.kind === 'note' ? 'a note' : `"${entry.text}"`} that we made ourselves; it is not copied back.`,
      });
      continue;
    }
    if (!b.flow.inbound) {
      b.record({
        field: null,
        side: 'external',
        outcome: b.settings.enabled && b.settings.direction !== 'none' ? 'direction-blocked' : 'sync-paused',
        reason: `A PagerDuty ${entry.kind} is not added to the platform timeline: inbound sync is off.`,
      });
      continue;
    }
    b.timeline.push(entry);
    b.record({
      field: null,
      side: 'external',
      outcome: 'applied',
      reason:
        entry.kind === 'note'
          ? `A PagerDuty note${entry.author === null ? '' : ` by ${entry.author}`} is added to the platform timeline.`
          : `"${entry.text}" is added to the platform timeline.`,
    });
  }
}

/** A note whose text is one we posted (journal of our recent notes). */
function isOurNote(b: DecisionBuilder, text: string): boolean {
  return b.state.postedNotes.includes(text);
}

/** Carries PagerDuty's display names for ids we copy to the platform. */
function addLabels(b: DecisionBuilder, change: ExternalChange): void {
  const command = b.pendingPlatformCommand();
  if (command === null) return;
  if (
    command.set.escalation_policy !== undefined &&
    command.set.escalation_policy === change.observed.escalation_policy
  ) {
    command.labels.escalationPolicyName = change.labels.escalationPolicyName;
  }
  if (command.set.assigned_to !== undefined && change.observed.assigned_to !== undefined) {
    command.labels.assigneeName = change.labels.assigneeName;
  }
}

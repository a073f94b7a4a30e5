import { DecisionBuilder } from './decision-builder';
import { decideExternalChange } from './decide-external-change';
import { decideAwaitingChanges } from './decide-field-change';
import { authorshipOf, echoOf, settleEcho, type ExternalAuthorship } from './echo-suppression';
import { codecFor } from './field-codec.mapping';
import { confirmTarget, echoedWriteIndex, isNewer, observation, valueBefore } from './field-observation';
import { addLabels, addTimeline } from './inbound-timeline';
import { isFieldSynced, type IntegrationSettings } from './integration-settings';
import type { LinkState, Observation } from './link-state.types';
import { SNAPSHOT_EVENT_ID_PREFIX } from './parse-pagerduty-event';
import { planFieldWrites } from './plan-field-writes';
import { fieldLabel, formatTime } from './reason-text';
import type { SyncDecision } from './sync-decision.types';
import { SYNC_FIELDS, type EpochMs, type ExternalFieldValues, type SyncField } from './sync-field.types';
import type { ExternalChange } from './sync-input.types';

/** Event ids of recent PagerDuty deliveries kept per link, so a redelivery changes nothing. */
const RECENT_EVENT_IDS_KEPT = 64;

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

  const echo = echoOf(authorship, primary, match);
  // An observation taken as our echo is marked ours: it is never a person's edit hidden
  // behind an earlier write of ours (§4.3), it is a later write of ours landing.
  if (newest) state.external = observation(previous, value, stamp, stamp, sourceId, echo !== null);
  if (echo !== null) {
    settleEcho(b, field, { kind: echo, value, stamp, previous, newest, match });
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
    ((primary && (newest || lateButReal)) || differs) &&
    isNewer(state.lastChange.external, stamp, sourceId) &&
    !readOverRestAlready(state.lastChange.external, value, stamp, equal);
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

/**
 * PagerDuty's REST times (`updated_at`) have whole seconds, its webhooks milliseconds: when a
 * reconcile read applied a PagerDuty edit before that edit's webhook came, the webhook is
 * stamped later within the second the read named. A late event of the value the read applied,
 * within that second, is that same edit (the read showed PagerDuty's state after it), not a
 * newer one: taken as newer, it looked concurrent with every platform edit made since and
 * opened a false conflict under manual review (fault tier seed 67075789). Another value from
 * that second is still a change.
 */
function readOverRestAlready<T>(
  last: Observation<T> | null,
  value: T,
  stamp: number,
  equal: (x: T, y: T) => boolean,
): boolean {
  if (last === null || !(last.sourceIds ?? []).some((id) => id.startsWith(SNAPSHOT_EVENT_ID_PREFIX))) return false;
  return Math.floor(stamp / 1000) === Math.floor(last.stamp / 1000) && equal(value, last.value);
}

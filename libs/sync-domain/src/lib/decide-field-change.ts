import { authoritativeOwner, revertNonOwnerEdit } from './authoritative-ownership';
import { awaitOurWrite, awaitsOurWrite } from './awaiting-our-write';
import { chooseConflictWinner } from './conflict-choice';
import { codecFor } from './field-codec.mapping';
import type { DecisionBuilder } from './decision-builder';
import { confirmTarget } from './field-observation';
import type {
  ConflictRecord,
  ConflictRecordOf,
  FieldSyncState,
  FieldTarget,
} from './link-state.types';
import { planFieldWrites } from './plan-field-writes';
import { SideName, fieldLabel, formatTime, sideName } from './reason-text';
import {
  SYNC_FIELDS,
  otherSide,
  type EpochMs,
  type ExternalFieldValues,
  type PlatformFieldValues,
  type Side,
  type SyncField,
} from './sync-field.types';

/**
 * A change made on one side by someone other than us, already mapped into both sides' terms.
 */
export interface FieldChange<F extends SyncField> {
  side: Side;
  platformValue: PlatformFieldValues[F];
  /** The PagerDuty value to drive towards (PagerDuty's own value when it made the change). */
  externalValue: ExternalFieldValues[F];
  /** PagerDuty's value as reported, when PagerDuty made the change. */
  reportedExternal: ExternalFieldValues[F] | null;
  stamp: number;
  at: EpochMs;
  /** e.g. "by Jane Doe" or "by an API client". */
  actor: string;
  /** Platform changes: the value this change replaced, when known. */
  replaced?: PlatformFieldValues[F];
}

/**
 * The heart of the library: decides what both sides should hold after one change.
 *
 * A change conflicts with the link's current target when the target came from elsewhere and
 * the changing side had not been seen holding it before the change (its confirmation stamp
 * is missing or later than the change): the two sides changed the field independently since
 * they last agreed. A conflict with the same value is no conflict.
 */
export function decideFieldChange<F extends SyncField>(
  b: DecisionBuilder,
  field: F,
  change: FieldChange<F>,
): void {
  const state: FieldSyncState<F> = b.state.fields[field];
  const codec = codecFor(field);
  const what = describeChange(field, change);

  if (state.conflictId !== null) {
    holdOnConflict(b, field, state, change, what);
    return;
  }

  const target = state.target;
  if (target === null) {
    setTarget(b, field, state, change);
    b.record({ field, side: change.side, outcome: 'applied', reason: `${what}; ${copyPhrase(change.side)}.` });
    planFieldWrites(b, field);
    return;
  }

  if (codec.eqPlatform(change.platformValue, target.platform)) {
    confirmTarget(state, change.side, change.stamp, b.now);
    b.record({
      field,
      side: change.side,
      outcome: 'no-change',
      reason: `${what}, which is already the value both sides are kept at (${codec.describePlatform(target.platform)}); nothing to copy.`,
    });
    planFieldWrites(b, field);
    return;
  }

  // A platform refinement PagerDuty cannot tell apart (closed vs resolved; SEV-1 vs SEV-2
  // with no priorities mapped) does not disagree with PagerDuty's value: no conflict.
  const indistinct =
    change.side === 'platform' && codec.eqExternal(change.externalValue, target.external, b.settings);
  if (!indistinct && revertNonOwnerEdit(b, field, change, what)) return;
  const seen = target.confirmed[change.side];
  // A PagerDuty edit made before the target was even set cannot have been made on top of it,
  // even when PagerDuty was seen holding an equal value earlier still (A → B → A, the webhooks
  // arriving late): taking that as "seen" let an older edit overwrite a newer one on both sides.
  const predatesTarget = change.side === 'external' && change.stamp < target.at;
  // Under authoritative ownership the owner's edit stands whatever happened meanwhile.
  const concurrent =
    authoritativeOwner(b, field) === null && target.source !== change.side && (seen === null || seen > change.stamp || predatesTarget);
  if (!concurrent || indistinct) {
    setTarget(b, field, state, change);
    b.record({ field, side: change.side, outcome: 'applied', reason: `${what}; ${copyPhrase(change.side)}.` });
    planFieldWrites(b, field);
    return;
  }
  // A platform change PagerDuty cannot see (resolved → closed) changes nothing PagerDuty
  // shows, so it does not compete with PagerDuty's own concurrent change, which stands.
  if (change.side === 'platform' && change.replaced !== undefined) {
    const before = codec.toExternal(change.replaced, b.settings);
    if (before.ok && codec.eqExternal(before.value, change.externalValue, b.settings)) {
      b.record({
        field,
        side: change.side,
        outcome: 'no-change',
        reason: `${what}, a change PagerDuty cannot see (it still shows ${codec.describeExternal(change.externalValue)}); ${describeTarget(field, target, change.side)}, so that value stands and the platform is set to it.`,
      });
      planFieldWrites(b, field);
      return;
    }
  }

  if (awaitsOurWrite(b, field, change)) {
    awaitOurWrite(b, field, change, what);
    return;
  }

  const competing = describeTarget(field, target, change.side);
  const { verdict, rule } = chooseConflictWinner(b.settings, field, change, target);
  const preface = `Both sides changed ${fieldLabel(field)} since they last agreed: ${describeChange(field, change, false)}, while ${competing}.`;

  if (verdict === 'freeze') {
    openConflict(b, field, state, change, `${preface} ${rule}`);
    return;
  }
  if (verdict === 'change-wins') {
    setTarget(b, field, state, change);
    b.record({
      field,
      side: change.side,
      outcome: change.side === 'platform' ? 'conflict-won-by-platform' : 'conflict-won-by-external',
      reason: `${preface} ${rule} ${SideName(otherSide(change.side))} is overwritten with ${describeValue(field, change)}.`,
    });
  } else {
    const winner = otherSide(change.side);
    b.record({
      field,
      side: change.side,
      outcome: winner === 'platform' ? 'conflict-won-by-platform' : 'conflict-won-by-external',
      reason: `${preface} ${rule} ${SideName(change.side)} is overwritten with ${codec.describePlatform(target.platform)}.`,
    });
  }
  planFieldWrites(b, field);
}

/**
 * Decides the PagerDuty changes that were waiting for one of our writes (awaiting-our-write.ts)
 * once the write's landing is known. Call after anything that settles pending PagerDuty writes.
 */
export function decideAwaitingChanges(b: DecisionBuilder): void {
  for (const field of SYNC_FIELDS) decideAwaitingChange(b, field);
}

function decideAwaitingChange<F extends SyncField>(b: DecisionBuilder, field: F): void {
  const state: FieldSyncState<F> = b.state.fields[field];
  const held = state.awaiting ?? null;
  if (held === null) return;
  const change: FieldChange<F> = { side: 'external', ...held };
  const latest = state.lastChange.external;
  if (latest !== null && latest.stamp > held.stamp) {
    state.awaiting = null;
    b.record({
      field,
      side: 'external',
      outcome: 'stale',
      reason: `${describeChange(field, change)}; a later PagerDuty change to ${fieldLabel(field)} (at ${formatTime(latest.stamp)}) was decided meanwhile, so this one is superseded.`,
    });
    return;
  }
  if (state.conflictId === null && awaitsOurWrite(b, field, change)) return;
  state.awaiting = null;
  decideFieldChange(b, field, change);
}

function setTarget<F extends SyncField>(
  b: DecisionBuilder,
  field: F,
  state: FieldSyncState<F>,
  change: FieldChange<F>,
): void {
  const target: FieldTarget<PlatformFieldValues[F], ExternalFieldValues[F]> = {
    platform: change.platformValue,
    external: change.externalValue,
    source: change.side,
    at: change.at,
    confirmed: { platform: null, external: null },
  };
  target.confirmed[change.side] = change.stamp;
  state.target = target;
  // The other side may already hold the value (e.g. both people typed the same title).
  const codec = codecFor(field);
  if (
    change.side === 'external' &&
    state.platform !== null &&
    codec.eqPlatform(state.platform.value, target.platform)
  ) {
    confirmTarget(state, 'platform', state.platform.stamp, b.now);
  }
  if (
    change.side === 'platform' &&
    state.external !== null &&
    codec.eqExternal(state.external.value, target.external, b.settings)
  ) {
    confirmTarget(state, 'external', state.external.stamp, b.now);
  }
}

function openConflict<F extends SyncField>(
  b: DecisionBuilder,
  field: F,
  state: FieldSyncState<F>,
  change: FieldChange<F>,
  reason: string,
): void {
  const target = state.target;
  if (target === null) return;
  const id = b.allocateId('conflict');
  const codec = codecFor(field);
  const record: ConflictRecordOf<F> = {
    id,
    field,
    status: 'open',
    openedAt: b.now,
    platform:
      change.side === 'platform'
        ? { value: change.platformValue, changedAt: change.at }
        : { value: target.platform, changedAt: target.at },
    external:
      change.side === 'external'
        ? {
            value: change.reportedExternal ?? change.externalValue,
            asPlatform: { value: change.platformValue },
            changedAt: change.at,
          }
        : { value: target.external, asPlatform: { value: target.platform }, changedAt: target.at },
    reason,
  };
  state.conflictId = id;
  const stored = asConflictRecord(record);
  b.state.conflicts.push(stored);
  b.conflictsOpened.push(stored);
  b.record({
    field,
    side: change.side,
    outcome: 'conflict-opened',
    reason: `${reason} Conflict ${id}: platform ${codec.describePlatform(record.platform.value)} vs PagerDuty ${codec.describeExternal(record.external.value)}.`,
    conflictId: id,
  });
}

function holdOnConflict<F extends SyncField>(
  b: DecisionBuilder,
  field: F,
  state: FieldSyncState<F>,
  change: FieldChange<F>,
  what: string,
): void {
  const id = state.conflictId;
  const record = b.state.conflicts.find((conflict) => conflict.id === id) as
    | ConflictRecordOf<F>
    | undefined;
  if (record !== undefined) {
    if (change.side === 'platform') {
      record.platform = { value: change.platformValue, changedAt: change.at };
    } else {
      record.external = {
        value: change.reportedExternal ?? change.externalValue,
        asPlatform: { value: change.platformValue },
        changedAt: change.at,
      };
    }
  }
  b.record({
    field,
    side: change.side,
    outcome: 'held-by-conflict',
    reason: `${what}; ${fieldLabel(field)} is frozen by conflict ${id ?? ''}, so the new value is recorded on the conflict and not copied.`,
    ...(id === null ? {} : { conflictId: id }),
  });
}

function copyPhrase(side: Side): string {
  return side === 'platform' ? 'it is copied to PagerDuty' : 'it is copied to the platform';
}

function describeValue<F extends SyncField>(field: F, change: FieldChange<F>): string {
  return codecFor(field).describePlatform(change.platformValue);
}

/** "PagerDuty changed status to …"; `sentenceStart` false gives "the platform changed …". */
function describeChange<F extends SyncField>(field: F, change: FieldChange<F>, sentenceStart = true): string {
  const codec = codecFor(field);
  const value =
    change.side === 'external' && change.reportedExternal !== null
      ? `${codec.describeExternal(change.reportedExternal)} (platform: ${codec.describePlatform(change.platformValue)})`
      : codec.describePlatform(change.platformValue);
  const who = sentenceStart ? SideName(change.side) : sideName(change.side);
  return `${who} changed ${fieldLabel(field)} to ${value} at ${formatTime(change.at)} ${change.actor}`;
}

function describeTarget<F extends SyncField>(
  field: F,
  target: FieldTarget<PlatformFieldValues[F], ExternalFieldValues[F]>,
  changingSide: Side,
): string {
  const codec = codecFor(field);
  const value = codec.describePlatform(target.platform);
  switch (target.source) {
    case 'operator':
      return `an operator had chosen ${value} at ${formatTime(target.at)}`;
    case 'initial':
      return `${sideName(changingSide)} had not yet received the value the link started with, ${value}`;
    case 'platform':
    case 'external':
      return `${sideName(target.source)} had changed it to ${value} at ${formatTime(target.at)}`;
  }
}

/** A record for one field is a member of the stored union; TypeScript cannot see that for a generic F. */
function asConflictRecord<F extends SyncField>(record: ConflictRecordOf<F>): ConflictRecord {
  return record as unknown as ConflictRecord;
}

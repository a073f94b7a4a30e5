import { DecisionBuilder } from './decision-builder';
import { codecFor } from './field-codec.mapping';
import { decideAwaitingChanges } from './decide-field-change';
import { decideHiddenEditAfterWrite } from './hidden-edit-after-write';
import { refuseExternalWrite } from './refused-write';
import { confirmTarget, landedBound, observation, settleWrites } from './field-observation';
import type { IntegrationSettings } from './integration-settings';
import type { LinkState, Observation, PendingWrite } from './link-state.types';
import { SideName, fieldLabel } from './reason-text';
import type { SyncDecision } from './sync-decision.types';
import {
  SYNC_FIELDS,
  type EpochMs,
  type ExternalFieldValues,
  type PlatformFieldValues,
  type SyncField,
} from './sync-field.types';

/**
 * A dispatcher (PagerDuty) or incidents-service (platform) result confirming one of our
 * write commands.
 *
 * `stamp` places the write among that side's observations: for the platform, the incident
 * version the command produced; for PagerDuty, when PagerDuty applied it in PagerDuty's
 * clock (epoch ms; use the `updated_at` of the PUT response), so it compares with webhook
 * `occurred_at`. `written` is what was actually stored, when it differs from what we asked.
 *
 * `superseded` lists the fields of this command that the request did not carry: the
 * dispatcher coalesced it with later commands of the same incident into one request, and a
 * later command's value for that field was sent instead. Such a field was never written
 * with this command's value, so it confirms nothing; the later command's result does.
 */
export type WriteAcknowledgement =
  | {
      side: 'platform';
      commandId: string;
      stamp: number;
      at?: EpochMs;
      written?: Partial<PlatformFieldValues>;
      superseded?: SyncField[];
    }
  | {
      side: 'external';
      commandId: string;
      stamp: number;
      at?: EpochMs;
      written?: Partial<ExternalFieldValues>;
      superseded?: SyncField[];
      /** Fields PagerDuty refused to set (the rest of the request was stored), with why (refused-write.ts). */
      refused?: { fields: SyncField[]; reason: string };
    };

/**
 * Confirms a write: the side is now known to hold the written value (unless something newer
 * was already seen), the write and every earlier one to that side stop being pending, and
 * the field's agreed value moves when both sides hold the target. Never writes anything.
 * Idempotent: acknowledging the same command twice changes nothing.
 */
export function acknowledgeWrite(
  state: LinkState,
  ack: WriteAcknowledgement,
  settings: IntegrationSettings,
  now: EpochMs,
): SyncDecision {
  const b = new DecisionBuilder(state, settings, now);
  for (const field of SYNC_FIELDS) acknowledgeField(b, field, ack);
  decideAwaitingChanges(b);
  if (b.decisions.length === 0) {
    b.record({
      field: null,
      side: ack.side,
      outcome: 'stale',
      reason: `Command ${ack.commandId} was already confirmed (or wrote no synced field); nothing changes.`,
      commandId: ack.commandId,
    });
  }
  return b.result();
}

function acknowledgeField<F extends SyncField>(
  b: DecisionBuilder,
  field: F,
  ack: WriteAcknowledgement,
): void {
  const state = b.state.fields[field];
  const codec = codecFor(field);
  const at = ack.at ?? b.now;
  if (ack.side === 'external' && ack.refused?.fields.includes(field) === true) {
    refuseExternalWrite(b, field, ack.commandId, ack.refused.reason);
    return;
  }
  if (ack.superseded?.includes(field) === true) {
    supersede(b, field, ack);
    return;
  }
  let written: string;
  if (ack.side === 'platform') {
    const index = state.pending.platform.findIndex((write) => write.commandId === ack.commandId);
    if (index < 0) return;
    const value = ack.written?.[field] ?? state.pending.platform[index]?.value;
    if (value === undefined) return;
    const landed = land(state.platform, state.pending.platform, index, value, ack.stamp, at, codec.eqPlatform);
    state.platform = landed.observed;
    state.pending.platform = landed.pending;
    if (state.target !== null && codec.eqPlatform(value, state.target.platform)) {
      confirmTarget(state, 'platform', ack.stamp, b.now);
    }
    written = codec.describePlatform(value);
  } else {
    const index = state.pending.external.findIndex((write) => write.commandId === ack.commandId);
    if (index < 0) return;
    const value = ack.written?.[field] ?? state.pending.external[index]?.value;
    if (value === undefined) return;
    const equal = (x: ExternalFieldValues[F], y: ExternalFieldValues[F]): boolean =>
      codec.eqExternal(x, y, b.settings);
    const seen = state.external;
    const landed = land(state.external, state.pending.external, index, value, ack.stamp, at, equal);
    state.external = landed.observed;
    state.pending.external = landed.pending;
    if (state.target !== null && equal(value, state.target.external)) {
      confirmTarget(state, 'external', ack.stamp, b.now);
    }
    written = codec.describeExternal(value);
    b.record({
      field,
      side: ack.side,
      outcome: 'write-confirmed',
      reason: `${SideName(ack.side)} confirmed our write of ${fieldLabel(field)} = ${written}.`,
      commandId: ack.commandId,
    });
    // PagerDuty reports no title or urgency edits (FACTS §1.2). If what we saw after our write
    // landed differs from it and was not taken as a change (it looked like the old value), a
    // person changed the field after our write: that is their change, decided now.
    decideHiddenEditAfterWrite(b, field, seen, value, ack.stamp);
    return;
  }
  b.record({
    field,
    side: ack.side,
    outcome: 'write-confirmed',
    reason: `${SideName(ack.side)} confirmed our write of ${fieldLabel(field)} = ${written}.`,
    commandId: ack.commandId,
  });
}

/**
 * The request that carried this command sent a later command's value for `field` instead of
 * this one's: this write never reached the side and never will (the later one is what landed),
 * so it stops being pending without being observed or confirmed.
 */
function supersede<F extends SyncField>(b: DecisionBuilder, field: F, ack: WriteAcknowledgement): void {
  const state = b.state.fields[field];
  const pending: PendingWrite<unknown>[] = ack.side === 'platform' ? state.pending.platform : state.pending.external;
  const write = pending.find((w) => w.commandId === ack.commandId);
  if (write === undefined) return;
  const codec = codecFor(field);
  if (ack.side === 'platform') {
    state.pending.platform = state.pending.platform.filter((w) => w.commandId !== ack.commandId);
  } else {
    state.pending.external = state.pending.external.filter((w) => w.commandId !== ack.commandId);
  }
  const value =
    ack.side === 'platform'
      ? codec.describePlatform(write.value as PlatformFieldValues[F])
      : codec.describeExternal(write.value as ExternalFieldValues[F]);
  b.record({
    field,
    side: ack.side,
    outcome: 'write-superseded',
    reason: `Our write of ${fieldLabel(field)} = ${value} (command ${ack.commandId}) was not sent: the ${ack.side === 'platform' ? 'platform' : 'PagerDuty'} request that carried it sent a later write's ${fieldLabel(field)} instead.`,
    commandId: ack.commandId,
  });
}

function land<T>(
  observed: Observation<T> | null,
  pending: PendingWrite<T>[],
  index: number,
  value: T,
  stamp: number,
  at: EpochMs,
  equal: (a: T, b: T) => boolean,
): { observed: Observation<T> | null; pending: PendingWrite<T>[] } {
  // Our own event in the same millisecond may show the incident part-way through our request;
  // the result of the request is what PagerDuty held once it was done.
  const newer = observed === null || stamp > observed.stamp || (stamp === observed.stamp && observed.ours === true);
  const sameAsSeen = observed !== null && stamp === observed.stamp && equal(observed.value, value);
  return {
    observed: newer ? observation(observed, value, stamp, at, null, true) : observed,
    pending: settleWrites(pending, index, sameAsSeen ? stamp : landedBound(observed, stamp, newer)),
  };
}

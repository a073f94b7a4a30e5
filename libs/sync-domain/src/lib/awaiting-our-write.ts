import type { DecisionBuilder } from './decision-builder';
import { codecFor } from './field-codec.mapping';
import type { AwaitingChange } from './link-state.types';
import { fieldLabel, formatTime } from './reason-text';
import type { ExternalFieldValues, PlatformFieldValues, Side, SyncField } from './sync-field.types';

/**
 * Sequential or concurrent, when our own write is still in flight.
 *
 * A PagerDuty change competes with the link's target when PagerDuty had not been seen holding
 * the target before the change. While our write of the target to PagerDuty may already have
 * landed before the change (it was issued no later than the change, and before we had seen
 * anything at or after the change's stamp) and its result has not come back, that cannot be
 * told:
 * - the write landed first: the person changed the field after seeing our value, a sequential
 *   edit that must simply be copied;
 * - the write landed after: it overwrote the person's edit, and the two are concurrent, for
 *   the conflict rules to decide.
 * Deciding at once took every such edit as concurrent, so under a platform-owned field (or
 * manual review) a person's later PagerDuty edit was reverted, or queued as a conflict, only
 * because the dispatcher's result arrived after the next webhook (a retried request, a slow
 * answer). The change waits instead, with no write planned, until the write's landing is
 * known: its acknowledgement or our bot's event gives its stamp, or it is superseded or
 * abandoned. Only the newest waiting change of a field is kept: a later one supersedes it.
 */
export function awaitsOurWrite<F extends SyncField>(
  b: DecisionBuilder,
  field: F,
  change: { side: Side; stamp: number },
): boolean {
  if (change.side !== 'external') return false;
  const state = b.state.fields[field];
  const target = state.target;
  if (target === null || target.source === 'external' || target.confirmed.external !== null) return false;
  const codec = codecFor(field);
  return state.pending.external.some(
    (write) =>
      write.issuedAt <= change.stamp &&
      (write.basedOnStamp === null || write.basedOnStamp < change.stamp) &&
      codec.eqExternal(write.value, target.external, b.settings),
  );
}

/** Keeps a PagerDuty change until our in-flight write's landing orders it (see above). */
export function awaitOurWrite<F extends SyncField>(
  b: DecisionBuilder,
  field: F,
  change: AwaitingChange<PlatformFieldValues[F], ExternalFieldValues[F]>,
  what: string,
): void {
  const state = b.state.fields[field];
  const codec = codecFor(field);
  const held = state.awaiting ?? null;
  if (held !== null && held.stamp > change.stamp) {
    b.record({
      field,
      side: 'external',
      outcome: 'stale',
      reason: `${what}; a later PagerDuty change (at ${formatTime(held.stamp)}) is already waiting for our write, so this one is superseded.`,
    });
    return;
  }
  state.awaiting = {
    platformValue: change.platformValue,
    externalValue: change.externalValue,
    reportedExternal: change.reportedExternal,
    stamp: change.stamp,
    at: change.at,
    actor: change.actor,
  };
  const target = state.target;
  b.record({
    field,
    side: 'external',
    outcome: 'awaiting-write',
    reason: `${what}, while our write of ${fieldLabel(field)}${target === null ? '' : ` = ${codec.describeExternal(target.external)}`} to PagerDuty had not come back; whether the change came after that write (and is copied) or was overwritten by it (and is a conflict) is decided once the write is known to have landed${held === null ? '' : `. It replaces the earlier waiting change to ${codec.describePlatform(held.platformValue)}`}.`,
  });
}

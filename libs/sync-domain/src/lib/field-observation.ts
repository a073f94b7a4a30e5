import type { FieldSyncState, Observation, PendingWrite } from './link-state.types';
import type { EpochMs, Side, SyncField } from './sync-field.types';

/**
 * Whether a report at `stamp` is newer than what we hold. Equal stamps count as newer only
 * between two distinct PagerDuty events in the same millisecond (the later delivered wins);
 * a redelivery never is, and neither is an event in the same millisecond as a write we saw
 * confirmed (which of the two came last cannot be told; the confirmed value is kept).
 */
export function isNewer(
  current: { stamp: number; sourceIds?: string[] } | null,
  stamp: number,
  sourceId: string | null,
): boolean {
  if (current === null || stamp > current.stamp) return true;
  if (stamp < current.stamp || sourceId === null) return false;
  const seen = current.sourceIds ?? [];
  return seen.length > 0 && !seen.includes(sourceId);
}

export function observation<T>(
  previous: Observation<T> | null,
  value: T,
  stamp: number,
  at: EpochMs,
  sourceId: string | null,
  ours = false,
): Observation<T> {
  const ids = previous !== null && previous.stamp === stamp ? [...(previous.sourceIds ?? [])] : [];
  if (sourceId !== null && !ids.includes(sourceId)) ids.push(sourceId);
  // A later report of the same value keeps what the value replaced and when it was first
  // seen, so a late event from before the re-report is still compared with what it changed.
  const sameValue = previous !== null && JSON.stringify(previous.value) === JSON.stringify(value);
  const repeated = sameValue && previous.stamp < stamp;
  const replaced =
    previous === null
      ? undefined
      : previous.stamp < stamp && !repeated
        ? { value: previous.value, stamp: previous.stamp }
        : previous.replaced;
  const since = repeated
    ? (previous.since ?? previous.stamp)
    : sameValue && previous.stamp === stamp
      ? previous.since
      : undefined;
  return {
    value,
    stamp,
    at,
    ...(ids.length > 0 ? { sourceIds: ids } : {}),
    ...(ours ? { ours: true } : {}),
    ...(replaced === undefined ? {} : { replaced }),
    ...(since === undefined ? {} : { since }),
  };
}

/**
 * What the side showed just before a report at `stamp`: the current observation if it is not
 * newer, else the one it replaced if that is not newer either; null when unknown.
 */
export function valueBefore<T>(current: Observation<T> | null, stamp: number): { value: T } | null {
  if (current === null) return null;
  if (current.stamp <= stamp || (current.since !== undefined && current.since <= stamp)) return { value: current.value };
  if (current.replaced !== undefined && current.replaced.stamp <= stamp) return { value: current.replaced.value };
  return null;
}

/**
 * Our writes to one side land in the order issued, so once the write at `index` is known to
 * have landed, it and every earlier one are done. The later ones land after the observation
 * at `landedStamp`, which makes them certain again.
 */
export function settleWrites<T>(
  pending: PendingWrite<T>[],
  index: number,
  landedStamp: number | null,
): PendingWrite<T>[] {
  return pending.slice(index + 1).map((write) =>
    landedStamp === null
      ? write
      : { ...write, basedOnStamp: Math.max(write.basedOnStamp ?? landedStamp, landedStamp) },
  );
}

/**
 * The stamp after which our later writes to a side are known to land, once a write is seen to
 * have landed at `stamp`: they land after it (commands land in order) even when something
 * newer was already observed. A landing in the same instant as the newest observation gives
 * no order against that observation, so nothing is known then.
 */
export function landedBound(previous: { stamp: number } | null, stamp: number, newest: boolean): number | null {
  return newest || (previous !== null && stamp < previous.stamp) ? stamp : null;
}

/** Records that `side` was seen holding the target at `stamp` (keeps the earliest). */
export function confirmTarget<F extends SyncField>(
  field: FieldSyncState<F>,
  side: Side,
  stamp: number,
  now: EpochMs,
): void {
  const target = field.target;
  if (target === null) return;
  const current = target.confirmed[side];
  if (current === null || stamp < current) target.confirmed[side] = stamp;
  if (target.confirmed.platform !== null && target.confirmed.external !== null) {
    const agreed = field.agreed;
    const samePair =
      agreed !== null &&
      JSON.stringify([agreed.platform, agreed.external]) ===
        JSON.stringify([target.platform, target.external]);
    if (!samePair) field.agreed = { platform: target.platform, external: target.external, at: now };
  }
}

/**
 * Index of the first pending write an echo observed at `stamp` can be the landing of: one
 * with a matching value, issued before we had seen anything at or after `stamp` (a write
 * issued after seeing stamp s lands after s). -1 if none.
 */
export function echoedWriteIndex<T>(
  pending: readonly PendingWrite<T>[],
  value: T,
  stamp: number,
  equal: (a: T, b: T) => boolean,
): number {
  return pending.findIndex(
    (write) => (write.basedOnStamp === null || write.basedOnStamp < stamp) && equal(write.value, value),
  );
}

import type { EpochMs, ExternalFieldValues, PlatformFieldValues, SyncField } from './sync-field.types';

/**
 * What one side was seen holding. `stamp` orders observations of that side: the platform
 * incident `version` for the platform, PagerDuty's `occurred_at` (epoch ms) for PagerDuty.
 * `at` is the wall-clock time of the change (epoch ms), used by last-write-wins.
 * `sourceIds` are the PagerDuty event ids already seen at exactly this stamp, so a
 * redelivered event with the same timestamp is recognised.
 */
export interface Observation<T> {
  value: T;
  stamp: number;
  at: EpochMs;
  sourceIds?: string[];
  /** The observation is the confirmation of one of our own writes. */
  ours?: boolean;
  /** The observation this one replaced, so a late event can be compared with what it changed. */
  replaced?: { value: T; stamp: number };
  /**
   * When the same value was already observed before (a later event re-reporting it): the
   * stamp it was first seen at. `replaced` is then what preceded that first sighting.
   */
  since?: number;
}

/**
 * A write we issued and have not seen confirmed. Commands to one side are applied in the
 * order issued (FIFO per incident), so confirming one confirms every earlier one.
 * `basedOnStamp` is the stamp of the side's latest observation when the write was issued:
 * while no newer observation exists, the write is certain to land after everything we know.
 */
export interface PendingWrite<T> {
  commandId: string;
  value: T;
  issuedAt: EpochMs;
  basedOnStamp: number | null;
}

export type TargetSource = 'platform' | 'external' | 'operator' | 'initial';

/**
 * The value pair the link is driving both sides to (the result of the last decision), with
 * the earliest stamp at which each side was seen holding it. A change on a side whose stamp
 * is older than that side's confirmation (or before any) was made without seeing this value:
 * it is concurrent with it.
 */
export interface FieldTarget<P, E> {
  platform: P;
  external: E;
  source: TargetSource;
  /** When the change that set the target happened (operator: when the decision was made). */
  at: EpochMs;
  confirmed: { platform: number | null; external: number | null };
}

export interface FieldSyncState<F extends SyncField> {
  /** Latest observation of the platform (including our own writes). */
  platform: Observation<PlatformFieldValues[F]> | null;
  /** Latest observation of PagerDuty (including our own writes). */
  external: Observation<ExternalFieldValues[F]> | null;
  /** The last change made by someone other than us on each side that we acted on. */
  lastChange: {
    platform: Observation<PlatformFieldValues[F]> | null;
    external: Observation<ExternalFieldValues[F]> | null;
  };
  target: FieldTarget<PlatformFieldValues[F], ExternalFieldValues[F]> | null;
  /** The last value pair both sides were confirmed to hold. */
  agreed: { platform: PlatformFieldValues[F]; external: ExternalFieldValues[F]; at: EpochMs } | null;
  pending: {
    platform: PendingWrite<PlatformFieldValues[F]>[];
    external: PendingWrite<ExternalFieldValues[F]>[];
  };
  /** Set while the field is frozen by an open manual-review conflict. */
  conflictId: string | null;
  /**
   * A PagerDuty change waiting for one of our writes to land (see awaiting-our-write.ts):
   * whether it came after our write or was overwritten by it is unknown until then.
   */
  awaiting?: AwaitingChange<PlatformFieldValues[F], ExternalFieldValues[F]> | null;
}

/** A PagerDuty change already read into both sides' terms, kept until it can be decided. */
export interface AwaitingChange<P, E> {
  platformValue: P;
  externalValue: E;
  reportedExternal: E | null;
  stamp: number;
  at: EpochMs;
  actor: string;
}

export type LinkFields = { [F in SyncField]: FieldSyncState<F> };

/** One side's competing value in a conflict. */
export interface ConflictSideValue<T> {
  value: T;
  changedAt: EpochMs;
}

export type OperatorDecision<F extends SyncField = SyncField> =
  | { kind: 'take-platform' }
  | { kind: 'take-external' }
  | { kind: 'take-value'; value: PlatformFieldValues[F] }
  | { kind: 'ignore' };

export interface ConflictRecordOf<F extends SyncField> {
  id: string;
  field: F;
  status: 'open' | 'resolved';
  openedAt: EpochMs;
  /** The platform's competing value (updated if the platform changes again while frozen). */
  platform: ConflictSideValue<PlatformFieldValues[F]>;
  /**
   * PagerDuty's competing value in PagerDuty terms, and read as a platform value
   * (`asPlatform` is null when it cannot be, e.g. an unmapped PagerDuty user).
   */
  external: ConflictSideValue<ExternalFieldValues[F]> & { asPlatform: { value: PlatformFieldValues[F] } | null };
  reason: string;
  resolution?: { decision: OperatorDecision<F>; at: EpochMs; by: string | null };
}

export type ConflictRecord = { [F in SyncField]: ConflictRecordOf<F> }[SyncField];

/**
 * Everything the sync engine persists for one link (one platform incident ↔ one PagerDuty
 * incident of one integration). Plain JSON: store it as JSONB and pass it back unchanged.
 */
export interface LinkState {
  schemaVersion: 1;
  linkId: string;
  integrationId: string;
  /** Next sequence number for command and conflict ids (`<linkId>:<seq>`). */
  nextSeq: number;
  fields: LinkFields;
  conflicts: ConflictRecord[];
  /** Newest PagerDuty `occurred_at` seen for this incident (informational). */
  lastExternalEventAt: EpochMs | null;
  /** Newest platform incident version seen (informational). */
  lastPlatformVersion: number | null;
  /**
   * The last notes we posted on PagerDuty (newest last, at most 20): a journal to recognise
   * their `incident.annotated` echoes when no bot user identifies them (FACTS §3.2).
   */
  postedNotes: string[];
  /**
   * Ids of the last PagerDuty events processed (newest last, at most 64): a redelivered
   * event changes nothing even if the service's own inbox let it through.
   */
  recentEventIds: string[];
}


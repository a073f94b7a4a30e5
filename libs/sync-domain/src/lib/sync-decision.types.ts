import type { ConflictRecord, LinkState } from './link-state.types';
import type { TimelineEntry } from './sync-input.types';
import type {
  PagerDutyStatus,
  PlatformFieldValues,
  Side,
  SyncField,
  Urgency,
} from './sync-field.types';

export type DecisionOutcome =
  /** A change was accepted; the other side is written with it. */
  | 'applied'
  /** The change matches what the link already holds; nothing (or only a re-alignment) is written. */
  | 'no-change'
  /** The change only reports a write we made. */
  | 'echo'
  /** Older than what we already know, or a redelivery. */
  | 'stale'
  | 'conflict-won-by-platform'
  | 'conflict-won-by-external'
  /** Authoritative ownership: a non-owner's edit is set back to the owner's value. */
  | 'reverted-by-owner'
  /** manual-review: the field is frozen until an operator decides. */
  | 'conflict-opened'
  /** The field is frozen by an open conflict; the change is recorded on the conflict only. */
  | 'held-by-conflict'
  | 'conflict-resolved'
  | 'conflict-rejected'
  | 'unknown-user'
  /** One-way sync: changes from this side are not propagated. */
  | 'direction-blocked'
  /** Integration disabled or direction none. */
  | 'sync-paused'
  | 'field-not-synced'
  /** Reconciliation read a PagerDuty value no webhook reported; the rules below decide it. */
  | 'drift-found'
  | 'write-confirmed'
  | 'write-abandoned'
  /** An earlier write of ours landed again after the link moved on; the side is set back. */
  | 'echo-realigned'
  /**
   * A PagerDuty change made while one of our writes to PagerDuty was in flight: it is decided
   * once that write is known to have landed (before the change, or after it), or abandoned.
   */
  | 'awaiting-write'
  /** PagerDuty refused a transition its API does not offer; the link follows PagerDuty's value. */
  | 'write-refused'
  /** Our write was coalesced with a later one into one request, which sent the later value. */
  | 'write-superseded'
  | 'ignored-event'
  | 'created'
  | 'not-created';

export interface FieldDecision {
  /** null for decisions about the whole event. */
  field: SyncField | null;
  /** The side whose change (or write) the decision is about. */
  side: Side | null;
  outcome: DecisionOutcome;
  /** A sentence an operator can read. */
  reason: string;
  conflictId?: string;
  commandId?: string;
}

/** A write to the platform incident (sent as a `platform.incident.commands` message). */
export interface PlatformWrite {
  commandId: string;
  set: Partial<PlatformFieldValues>;
  /** Display names for written ids, when the PagerDuty event carried them. */
  labels: { escalationPolicyName?: string | null; assigneeName?: string | null };
}

/** PagerDuty `PUT /incidents/{id}` fields, in PagerDuty terms. Absent = unchanged. */
export interface PagerDutyIncidentUpdate {
  title?: string;
  status?: PagerDutyStatus;
  urgency?: Urgency;
  /** A priority key from the mapping (name or id; PagerDuty accepts a name string); null clears. */
  priority?: string | null;
  /** `assignments[0].assignee.id`; null means "hand back to the escalation policy". */
  assigneeId?: string | null;
  escalationPolicyId?: string | null;
}

/** A write to PagerDuty (sent as a `pagerduty.commands` message). */
export interface ExternalWrite {
  commandId: string;
  update: PagerDutyIncidentUpdate;
  /** A note to add (`POST /incidents/{id}/notes`): description changes after create. */
  note: string | null;
}

export interface SyncDecision {
  state: LinkState;
  platformWrite: PlatformWrite | null;
  externalWrite: ExternalWrite | null;
  /** Entries to add to the platform incident's timeline. */
  timeline: TimelineEntry[];
  conflictsOpened: ConflictRecord[];
  decisions: FieldDecision[];
}

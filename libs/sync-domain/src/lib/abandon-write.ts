import { DecisionBuilder } from './decision-builder';
import { decideAwaitingChanges } from './decide-field-change';
import type { IntegrationSettings } from './integration-settings';
import type { LinkState, PendingWrite } from './link-state.types';
import { fieldLabel, sideName } from './reason-text';
import type { SyncDecision } from './sync-decision.types';
import { SYNC_FIELDS, type EpochMs, type Side, type SyncField } from './sync-field.types';

export interface AbandonedWrite {
  side: Side;
  commandId: string;
  reason?: string;
  /** What follows, for the history (default: the sides may differ until the field changes again). */
  consequence?: string;
}

/**
 * Forgets a write that will never land (its dead letter was discarded, or PagerDuty cannot
 * express it). The side keeps its observed value; the next change to the field is decided
 * against that. Writes nothing itself; a PagerDuty change that was waiting for the write is
 * decided now. (Fields the platform skipped: skipped-platform-write.ts.)
 */
export function abandonWrite(
  state: LinkState,
  abandoned: AbandonedWrite,
  settings: IntegrationSettings,
  now: EpochMs,
): SyncDecision {
  const b = new DecisionBuilder(state, settings, now);
  for (const field of SYNC_FIELDS) abandonField(b, field, abandoned);
  decideAwaitingChanges(b);
  if (b.decisions.length === 0) {
    b.record({
      field: null,
      side: abandoned.side,
      outcome: 'stale',
      reason: `Command ${abandoned.commandId} is not pending; nothing changes.`,
      commandId: abandoned.commandId,
    });
  }
  return b.result();
}

/** Drops one field of the abandoned write from the pending list (recording it); false when it was not pending. */
export function abandonField<F extends SyncField>(b: DecisionBuilder, field: F, abandoned: AbandonedWrite): boolean {
  const pending = b.state.fields[field].pending;
  const keep = <T>(writes: PendingWrite<T>[]): PendingWrite<T>[] =>
    writes.filter((write) => write.commandId !== abandoned.commandId);
  const before = pending[abandoned.side].length;
  if (abandoned.side === 'platform') pending.platform = keep(pending.platform);
  else pending.external = keep(pending.external);
  if (pending[abandoned.side].length === before) return false;
  b.record({
    field,
    side: abandoned.side,
    outcome: 'write-abandoned',
    reason: `Our write of ${fieldLabel(field)} to ${sideName(abandoned.side)} was abandoned${abandoned.reason ? ` (${abandoned.reason})` : ''}; ${abandoned.consequence ?? 'the two sides may differ until the field changes again'}.`,
    commandId: abandoned.commandId,
  });
  return true;
}

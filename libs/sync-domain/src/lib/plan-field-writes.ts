import { codecFor } from './field-codec.mapping';
import type { DecisionBuilder } from './decision-builder';
import { descriptionNote } from './description-note';
import { isFieldSynced, writableSide } from './integration-settings';
import type { Observation, PendingWrite } from './link-state.types';
import { severityForPriority } from './priority-severity.mapping';
import type { ExternalWrite } from './sync-decision.types';
import type { ExternalFieldValues, PlatformFieldValues, SyncField } from './sync-field.types';

/**
 * Whether a side must be written to end up at `target`.
 *
 * The side will end up at its last pending write if that write is certain to land after the
 * latest observation (it was issued after we saw it), else at its observed value. When we
 * cannot tell (something was observed after the write was issued), the side is written again
 * unless both the observation and the last pending write already are the target.
 */
export function needsWrite<T>(
  observed: Observation<T> | null,
  pending: readonly PendingWrite<T>[],
  target: T,
  equal: (a: T, b: T) => boolean,
): boolean {
  const last = pending[pending.length - 1];
  if (last === undefined) return observed === null || !equal(observed.value, target);
  const certain =
    observed === null || (last.basedOnStamp !== null && last.basedOnStamp >= observed.stamp);
  if (certain) return !equal(last.value, target);
  return !equal(observed.value, target) || !equal(last.value, target);
}

/**
 * Writes whichever side does not (or will not) hold the field's target, within the allowed
 * direction. Never writes a field frozen by a conflict.
 */
export function planFieldWrites<F extends SyncField>(b: DecisionBuilder, field: F): void {
  const state = b.state.fields[field];
  const target = state.target;
  if (target === null || state.conflictId !== null || !isFieldSynced(b.settings, field)) return;
  const codec = codecFor(field);

  if (
    writableSide(b.flow, 'platform') &&
    needsWrite(state.platform, state.pending.platform, target.platform, codec.eqPlatform)
  ) {
    const command = b.platformCommand();
    setPlatformValue(command.set, field, target.platform);
    state.pending.platform.push({
      commandId: command.commandId,
      value: target.platform,
      issuedAt: b.now,
      basedOnStamp: state.platform?.stamp ?? null,
    });
  }

  const eqExternal = (x: ExternalFieldValues[F], y: ExternalFieldValues[F]): boolean =>
    codec.eqExternal(x, y, b.settings);
  if (
    writableSide(b.flow, 'external') &&
    needsWrite(state.external, state.pending.external, target.external, eqExternal)
  ) {
    const command = b.externalCommand();
    addExternalUpdate(command, field, target.external, state.external?.value ?? null, b);
    state.pending.external.push({
      commandId: command.commandId,
      value: target.external,
      issuedAt: b.now,
      basedOnStamp: state.external?.stamp ?? null,
    });
  }
}

const POSTED_NOTES_KEPT = 20;

function setPlatformValue<F extends SyncField>(
  set: Partial<PlatformFieldValues>,
  field: F,
  value: PlatformFieldValues[F],
): void {
  set[field] = value;
}

function addExternalUpdate<F extends SyncField>(
  command: ExternalWrite,
  field: F,
  value: ExternalFieldValues[F],
  observed: ExternalFieldValues[F] | null,
  b: DecisionBuilder,
): void {
  const values: Partial<ExternalFieldValues> = {};
  values[field] = value;
  const seen: Partial<ExternalFieldValues> = {};
  if (observed !== null) seen[field] = observed;
  const update = command.update;
  if (values.title !== undefined) update.title = values.title;
  if (values.status !== undefined) update.status = values.status;
  if (values.assigned_to !== undefined) update.assigneeId = values.assigned_to;
  if (values.escalation_policy !== undefined) update.escalationPolicyId = values.escalation_policy;
  if (values.description !== undefined) {
    command.note = descriptionNote(values.description);
    b.state.postedNotes = [...b.state.postedNotes, command.note].slice(-POSTED_NOTES_KEPT);
  }
  if (values.severity !== undefined) {
    update.urgency = values.severity.urgency;
    // A null target priority means "no priority maps to this severity": only clear PagerDuty's
    // priority when it maps to a different severity, never touch an unmapped one.
    const seenMapped =
      seen.severity === undefined
        ? undefined
        : severityForPriority(seen.severity.priority, b.settings.priorityMapping);
    if (values.severity.priority !== null || seenMapped !== undefined) {
      update.priority = values.severity.priority;
    }
  }
}

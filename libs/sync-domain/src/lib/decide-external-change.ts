import type { DecisionBuilder } from './decision-builder';
import { decideFieldChange } from './decide-field-change';
import { codecFor } from './field-codec.mapping';
import { observation } from './field-observation';
import type { ExternalFieldValues, SyncField } from './sync-field.types';

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

import type { DecisionBuilder } from './decision-builder';
import { decideExternalChange } from './decide-external-change';
import { codecFor } from './field-codec.mapping';
import { isNewer } from './field-observation';
import type { Observation } from './link-state.types';
import type { ExternalFieldValues, SyncField } from './sync-field.types';

/**
 * PagerDuty reports no title or urgency edits (FACTS §1.2). Once our write of `written` is
 * known to have landed at `landedAt` (an acknowledgement, or our bot's event arriving late),
 * an observation `seen` from after it that differs from it and was not taken as a change (it
 * looked like the value before our write) is a person's edit made after our write: it is
 * decided now, as PagerDuty's change at that observation.
 */
export function decideHiddenEditAfterWrite<F extends SyncField>(
  b: DecisionBuilder,
  field: F,
  seen: Observation<ExternalFieldValues[F]> | null,
  written: ExternalFieldValues[F],
  landedAt: number,
): void {
  const state = b.state.fields[field];
  const codec = codecFor(field);
  if (
    seen !== null &&
    seen.ours !== true &&
    seen.stamp > landedAt &&
    !codec.eqExternal(seen.value, written, b.settings) &&
    isNewer(state.lastChange.external, seen.stamp, null) &&
    b.flow.inbound
  ) {
    decideExternalChange(b, field, {
      value: seen.value,
      previous: written,
      stamp: seen.stamp,
      sourceId: null,
      priorityChanged: false,
      actor: 'by someone on PagerDuty after our write (seen in a later webhook)',
    });
  }
}

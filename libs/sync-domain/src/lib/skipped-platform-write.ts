import { abandonField, type AbandonedWrite } from './abandon-write';
import { DecisionBuilder } from './decision-builder';
import { decideAwaitingChanges } from './decide-field-change';
import type { PlatformIncidentSnapshot } from './create-plan.types';
import { codecFor } from './field-codec.mapping';
import { isNewer, observation } from './field-observation';
import type { IntegrationSettings } from './integration-settings';
import type { LinkState } from './link-state.types';
import { fieldLabel } from './reason-text';
import { planFieldWrites } from './plan-field-writes';
import type { SyncDecision } from './sync-decision.types';
import type { EpochMs, SyncField } from './sync-field.types';

/**
 * The incidents service did not write some fields of our platform command (someone changed
 * them after we read them, or the status rule refused): those fields of the write are
 * abandoned, and the platform's value in the report (the incident as it is now) is observed.
 *
 * Then, for a field with no other write in flight, whichever side does not hold the field's
 * target is written again — now on the right compare-and-set base. The report is ordered
 * after every platform change it could have collided with (one incident's events are
 * published in commit order), so the target already reflects that person's edit: if their
 * edit won, nothing is written; if it lost, the winner is written over it. Without this a
 * write skipped on a stale base was only dropped, and the platform kept the losing value
 * while PagerDuty held the winner (fault run 8, seed 1024663032).
 */
export function skippedPlatformWrite(
  state: LinkState,
  skipped: AbandonedWrite & { side: 'platform'; fields: readonly SyncField[]; /** Skipped only because the field changed since (`changed_since`): decided again from the platform's value. A refused transition is never re-sent. */ changedSince: readonly SyncField[] },
  incident: PlatformIncidentSnapshot,
  settings: IntegrationSettings,
  now: EpochMs,
): SyncDecision {
  const b = new DecisionBuilder(state, settings, now);
  for (const field of skipped.fields) {
    if (skipped.changedSince.includes(field)) redrive(b, field, skipped, incident);
    else abandonField(b, field, skipped);
  }
  decideAwaitingChanges(b);
  if (b.decisions.length === 0) {
    b.record({ field: null, side: 'platform', outcome: 'stale', reason: `Command ${skipped.commandId} has no pending write of ${skipped.fields.join(', ')}; nothing changes.`, commandId: skipped.commandId });
  }
  return b.result();
}

function redrive<F extends SyncField>(b: DecisionBuilder, field: F, skipped: AbandonedWrite, incident: PlatformIncidentSnapshot): void {
  const consequence = 'the platform holds a newer value, and the field is decided from it';
  if (!abandonField(b, field, { ...skipped, consequence })) return;
  const state = b.state.fields[field];
  const codec = codecFor(field);
  const value = incident.fields[field];
  if (isNewer(state.platform, incident.version, null)) {
    state.platform = observation(state.platform, value, incident.version, incident.occurredAt, null);
  }
  if (state.pending.platform.length > 0) return;
  const writes = state.pending.platform.length + state.pending.external.length;
  planFieldWrites(b, field);
  if (state.pending.platform.length + state.pending.external.length === writes || state.target === null) return;
  b.record({
    field,
    side: 'platform',
    outcome: 'applied',
    reason: `The platform holds ${fieldLabel(field)} = ${codec.describePlatform(value)} (version ${incident.version}), not the value the sync settled on (${codec.describePlatform(state.target.platform)}); whichever side does not hold that value is written again, on the platform's current value as the base.`,
  });
}

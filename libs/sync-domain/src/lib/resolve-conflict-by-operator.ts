import { DecisionBuilder } from './decision-builder';
import { codecFor } from './field-codec.mapping';
import { confirmTarget } from './field-observation';
import type { IntegrationSettings } from './integration-settings';
import type { ConflictRecordOf, LinkState, OperatorDecision } from './link-state.types';
import { isPlatformValue } from './platform-value.validation';
import { planFieldWrites } from './plan-field-writes';
import { fieldLabel } from './reason-text';
import type { SyncDecision } from './sync-decision.types';
import type { EpochMs, ExternalFieldValues, PlatformFieldValues, SyncField } from './sync-field.types';

/**
 * An operator's decision on a manual-review conflict. It releases the frozen field:
 * - take-platform: the platform's competing value is written to PagerDuty;
 * - take-external: PagerDuty's competing value is written to the platform;
 * - take-value: the given platform value is written to whichever side lacks it;
 * - ignore: nothing is written; both sides keep what they hold now, and the next change on
 *   either side syncs normally.
 * An unusable decision (unknown conflict, unmappable value) is rejected and changes nothing.
 */
export function resolveConflict(
  state: LinkState,
  conflictId: string,
  decision: OperatorDecision,
  settings: IntegrationSettings,
  now: EpochMs,
  operator: string | null = null,
): SyncDecision {
  const b = new DecisionBuilder(state, settings, now);
  const record = b.state.conflicts.find((conflict) => conflict.id === conflictId);
  if (record === undefined || record.status !== 'open') {
    b.record({
      field: record?.field ?? null,
      side: null,
      outcome: 'conflict-rejected',
      reason:
        record === undefined
          ? `There is no conflict ${conflictId} on this incident.`
          : `Conflict ${conflictId} is already resolved.`,
      conflictId,
    });
    return record === undefined ? b.result() : { ...b.result(), state };
  }
  resolveField(b, record.field, record, decision, operator);
  const rejected = b.decisions.some((d) => d.outcome === 'conflict-rejected');
  return rejected ? { ...b.result(), state, platformWrite: null, externalWrite: null } : b.result();
}

function resolveField<F extends SyncField>(
  b: DecisionBuilder,
  field: F,
  record: ConflictRecordOf<F>,
  decision: OperatorDecision,
  operator: string | null,
): void {
  const state = b.state.fields[field];
  const codec = codecFor(field);
  const who = operator === null ? 'An operator' : `Operator ${operator}`;
  const reject = (why: string): void =>
    b.record({ field, side: null, outcome: 'conflict-rejected', reason: why, conflictId: record.id });

  let platformValue: PlatformFieldValues[F];
  let externalValue: ExternalFieldValues[F];
  let chosen: string;
  switch (decision.kind) {
    case 'ignore': {
      closeRecord(b, record, decision, operator);
      state.conflictId = null;
      const platformNow = state.platform?.value ?? record.platform.value;
      const externalNow = state.external?.value ?? record.external.value;
      state.target = {
        platform: platformNow,
        external: externalNow,
        source: 'operator',
        at: b.now,
        confirmed: { platform: state.platform?.stamp ?? null, external: state.external?.stamp ?? null },
      };
      b.record({
        field,
        side: null,
        outcome: 'conflict-resolved',
        reason: `${who} dismissed conflict ${record.id} on ${fieldLabel(field)}: both sides keep their current values (platform ${codec.describePlatform(platformNow)}, PagerDuty ${codec.describeExternal(externalNow)}) and the next change on either side syncs normally.`,
        conflictId: record.id,
      });
      return;
    }
    case 'take-platform': {
      platformValue = record.platform.value;
      const mapped = codec.toExternal(platformValue, b.settings);
      if (!mapped.ok) return reject(`${mapped.reason}; pick another value.`);
      externalValue = mapped.value;
      chosen = `the platform's value ${codec.describePlatform(platformValue)}`;
      break;
    }
    case 'take-external': {
      const asPlatform = record.external.asPlatform;
      if (asPlatform === null) {
        return reject(`PagerDuty's value ${codec.describeExternal(record.external.value)} cannot be expressed on the platform; pick another value.`);
      }
      platformValue = asPlatform.value;
      externalValue = codec.align(record.external.value, asPlatform.value, b.settings);
      chosen = `PagerDuty's value ${codec.describeExternal(record.external.value)}`;
      break;
    }
    case 'take-value': {
      if (!isPlatformValue(field, decision.value)) {
        return reject(`${JSON.stringify(decision.value)} is not a valid ${fieldLabel(field)}.`);
      }
      platformValue = decision.value;
      const mapped = codec.toExternal(platformValue, b.settings);
      if (!mapped.ok) return reject(`${mapped.reason}; pick another value.`);
      externalValue = mapped.value;
      chosen = `the value ${codec.describePlatform(platformValue)}`;
      break;
    }
  }

  closeRecord(b, record, decision, operator);
  state.conflictId = null;
  state.target = {
    platform: platformValue,
    external: externalValue,
    source: 'operator',
    at: b.now,
    confirmed: { platform: null, external: null },
  };
  if (state.platform !== null && codec.eqPlatform(state.platform.value, platformValue)) {
    confirmTarget(state, 'platform', state.platform.stamp, b.now);
  }
  if (state.external !== null && codec.eqExternal(state.external.value, externalValue, b.settings)) {
    confirmTarget(state, 'external', state.external.stamp, b.now);
  }
  b.record({
    field,
    side: null,
    outcome: 'conflict-resolved',
    reason: `${who} resolved conflict ${record.id} on ${fieldLabel(field)} by taking ${chosen}; whichever side differs is written with it and the field syncs again.`,
    conflictId: record.id,
  });
  planFieldWrites(b, field);
}

function closeRecord<F extends SyncField>(
  b: DecisionBuilder,
  record: ConflictRecordOf<F>,
  decision: OperatorDecision,
  operator: string | null,
): void {
  record.status = 'resolved';
  record.resolution = { decision: decision as OperatorDecision<F>, at: b.now, by: operator };
}

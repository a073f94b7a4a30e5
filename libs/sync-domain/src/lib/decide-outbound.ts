import { DecisionBuilder } from './decision-builder';
import { decideFieldChange } from './decide-field-change';
import { codecFor } from './field-codec.mapping';
import { confirmTarget, echoedWriteIndex, isNewer, landedBound, observation, settleWrites } from './field-observation';
import { isFieldSynced, type IntegrationSettings } from './integration-settings';
import type { LinkState } from './link-state.types';
import { fieldLabel } from './reason-text';
import type { SyncDecision } from './sync-decision.types';
import { SYNC_FIELDS, type EpochMs, type SyncField } from './sync-field.types';
import type { PlatformChange } from './sync-input.types';

/**
 * Decides what a committed platform change means for the link: which PagerDuty fields to
 * write (or notes to post), which conflicts open. A change whose origin is this integration
 * is the echo of our own command and never causes a write. Pure.
 */
export function decideOutbound(
  state: LinkState,
  change: PlatformChange,
  settings: IntegrationSettings,
  now: EpochMs,
): SyncDecision {
  const b = new DecisionBuilder(state, settings, now);
  const ours =
    change.origin.type === 'integration' && change.origin.integrationId === settings.integrationId;
  for (const field of SYNC_FIELDS) observePlatformField(b, field, change, ours);

  const newestBefore = b.state.lastPlatformVersion;
  if (newestBefore === null || change.version > newestBefore) {
    b.state.lastPlatformVersion = change.version;
  }
  if (b.decisions.length === 0) {
    b.record({
      field: null,
      side: 'platform',
      outcome: 'no-change',
      reason: `Platform change (version ${change.version}) touches no synced field.`,
    });
  }
  return b.result();
}

function observePlatformField<F extends SyncField>(
  b: DecisionBuilder,
  field: F,
  change: PlatformChange,
  ours: boolean,
): void {
  const delta = change.changes[field];
  if (delta === undefined) return;
  if (!isFieldSynced(b.settings, field)) {
    b.record({
      field,
      side: 'platform',
      outcome: 'field-not-synced',
      reason: `${fieldLabel(field)} is not synced for this integration (escalation sync is off).`,
    });
    return;
  }
  const state = b.state.fields[field];
  const codec = codecFor(field);
  const value = delta.new;
  const stamp = change.version;
  const previous = state.platform;
  const newest = isNewer(previous, stamp, null);
  if (newest) state.platform = observation(previous, value, stamp, change.occurredAt, null, ours);

  if (ours) {
    const pending = state.pending.platform;
    const commandId = change.origin.type === 'integration' ? change.origin.commandId ?? null : null;
    // With a command id the echo names its write exactly (no longer pending: already settled).
    const match =
      commandId !== null
        ? pending.findIndex((write) => write.commandId === commandId)
        : echoedWriteIndex(pending, value, stamp, codec.eqPlatform);
    if (match >= 0) state.pending.platform = settleWrites(pending, match, landedBound(previous, stamp, newest));
    if (state.target !== null && codec.eqPlatform(value, state.target.platform)) {
      confirmTarget(state, 'platform', stamp, b.now);
    }
    b.record({
      field,
      side: 'platform',
      outcome: 'echo',
      reason: `The platform applied our write of ${fieldLabel(field)} = ${codec.describePlatform(value)} (version ${stamp}); it is our own change coming back and nothing is sent to PagerDuty.`,
    });
    return;
  }

  // An edit made on top of the value we were driving the platform to is not concurrent with
  // it: the platform held that value just before this version.
  if (delta.old !== undefined && state.target !== null && codec.eqPlatform(delta.old, state.target.platform)) {
    confirmTarget(state, 'platform', stamp, b.now);
  }
  if (!isNewer(state.lastChange.platform, stamp, null)) {
    b.record({
      field,
      side: 'platform',
      outcome: 'stale',
      reason: `The platform change of ${fieldLabel(field)} at version ${stamp} was already processed or is older than the last change applied (version ${state.lastChange.platform?.stamp ?? '?'}); it is superseded.`,
    });
    return;
  }
  if (!b.flow.outbound) {
    const paused = !b.settings.enabled || b.settings.direction === 'none';
    b.record({
      field,
      side: 'platform',
      outcome: paused ? 'sync-paused' : 'direction-blocked',
      reason: paused
        ? `The platform changed ${fieldLabel(field)}, but the integration is ${b.settings.enabled ? 'set to sync in no direction' : 'disabled'}; the change is recorded and not copied.`
        : `The platform changed ${fieldLabel(field)}, but the integration only syncs from PagerDuty to the platform; the change is recorded and not copied.`,
    });
    return;
  }

  const replaced = delta.old !== undefined ? delta.old : newest && previous !== null ? previous.value : undefined;
  const mapped = codec.toExternal(value, b.settings);
  state.lastChange.platform = observation(state.lastChange.platform, value, stamp, change.occurredAt, null);
  if (!mapped.ok) {
    b.record({ field, side: 'platform', outcome: mapped.outcome, reason: `${mapped.reason}.` });
    return;
  }
  decideFieldChange(b, field, {
    side: 'platform',
    platformValue: value,
    externalValue: mapped.value,
    reportedExternal: null,
    stamp,
    at: change.occurredAt,
    actor: actorOf(change),
    ...(replaced === undefined ? {} : { replaced }),
  });
}

function actorOf(change: PlatformChange): string {
  switch (change.origin.type) {
    case 'user':
      return change.origin.actor ? `by ${change.origin.actor}` : 'by a platform user';
    case 'api':
      return change.origin.actor ? `by API client ${change.origin.actor}` : 'through the API';
    case 'integration':
      return `by integration ${change.origin.integrationId}`;
  }
}

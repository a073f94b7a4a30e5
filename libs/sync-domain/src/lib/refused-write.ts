import type { DecisionBuilder } from './decision-builder';
import { codecFor } from './field-codec.mapping';
import { planFieldWrites } from './plan-field-writes';
import { fieldLabel } from './reason-text';
import type { ExternalFieldValues, SyncField } from './sync-field.types';

/**
 * PagerDuty refused the part of our write that set `field` (the rest of the request was sent):
 * a transition its REST API does not offer, such as an acknowledged incident back to triggered
 * (400 1003 Invalid Status Provided; only a responder can unacknowledge). Sending it again
 * cannot succeed, and dead-lettering it would leave the two sides apart until someone edits the
 * field. So the write stops being pending and, unless a later write of ours is still on its
 * way, the link follows what PagerDuty holds: the platform is set to it, and its timeline says
 * why. The two sides agree again; the person who wanted the other value can see what happened.
 */
export function refuseExternalWrite<F extends SyncField>(b: DecisionBuilder, field: F, commandId: string, why: string): void {
  const state = b.state.fields[field];
  const write = state.pending.external.find((w) => w.commandId === commandId);
  if (write === undefined) return;
  state.pending.external = state.pending.external.filter((w) => w.commandId !== commandId);
  const codec = codecFor(field);
  const asked = codec.describeExternal(write.value as ExternalFieldValues[F]);
  const observed = state.external;
  const target = state.target;
  const follow =
    observed !== null && target !== null && state.conflictId === null && state.pending.external.length === 0 &&
    !codec.eqExternal(observed.value, target.external, b.settings);
  const read = follow ? codec.fromExternal(observed.value, { previous: observed.value, current: target.platform, priorityChanged: false }, b.settings) : null;
  if (observed === null || target === null || read === null || !read.ok) {
    b.record({ field, side: 'external', outcome: 'write-refused', reason: `PagerDuty refused our write of ${fieldLabel(field)} = ${asked} (command ${commandId}): ${why}. It is not sent again.`, commandId });
    return;
  }
  const held = codec.describeExternal(observed.value);
  state.target = { platform: read.value, external: observed.value, source: 'external', at: b.now, confirmed: { platform: null, external: observed.stamp } };
  b.record({
    field,
    side: 'external',
    outcome: 'write-refused',
    reason: `PagerDuty refused our write of ${fieldLabel(field)} = ${asked} (command ${commandId}): ${why}. PagerDuty keeps ${held}, so the platform follows it (${codec.describePlatform(read.value)}) and both sides agree again.`,
    commandId,
  });
  b.timeline.push({
    kind: 'sync',
    text: `PagerDuty refused to change ${fieldLabel(field)} to ${asked} (${why}); it keeps ${held}, so this incident's ${fieldLabel(field)} is set to ${codec.describePlatform(read.value)} to match.`,
    occurredAt: b.now,
    author: null,
    dedupeKey: `refused:${commandId}:${field}`,
  });
  planFieldWrites(b, field);
}

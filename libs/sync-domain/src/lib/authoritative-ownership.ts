import type { DecisionBuilder } from './decision-builder';
import { codecFor } from './field-codec.mapping';
import { ownershipOf } from './integration-settings';
import { planFieldWrites } from './plan-field-writes';
import { SideName, fieldLabel, sideName } from './reason-text';
import type { ExternalFieldValues, PlatformFieldValues, Side, SyncField } from './sync-field.types';

/** The part of a field change this rule reads (decide-field-change.ts's FieldChange). */
interface OwnedChange<F extends SyncField> {
  side: Side;
  platformValue: PlatformFieldValues[F];
  externalValue: ExternalFieldValues[F];
  stamp: number;
  at: number;
  actor: string;
}

/** Who enforces `field`, when its ownership is authoritative; null when ownership only breaks ties. */
export function authoritativeOwner(b: DecisionBuilder, field: SyncField): Side | null {
  const rule = ownershipOf(b.settings, field);
  return rule.authoritative === true ? rule.owner : null;
}

/**
 * Authoritative ownership (README §7.4): an edit by the side that does not own the field is set
 * back to the value the link holds, which is the owner's, whenever it was made. This is the
 * one deliberate exception to "never overwrite a newer edit", so it says so twice: in the sync
 * history and as a platform timeline entry people read.
 *
 * Returns false when the rule does not apply (the field is not enforced, the change is the
 * owner's, or the link holds no value yet to set it back to).
 */
export function revertNonOwnerEdit<F extends SyncField>(b: DecisionBuilder, field: F, change: OwnedChange<F>, what: string): boolean {
  const owner = authoritativeOwner(b, field);
  const target = b.state.fields[field].target;
  if (owner === null || change.side === owner || target === null) return false;
  const codec = codecFor(field);
  const value = codec.describePlatform(target.platform);
  const writable = change.side === 'platform' ? b.flow.inbound : b.flow.outbound;
  const consequence = writable
    ? `${SideName(change.side)} is set back to ${value}`
    : `it is not copied, and ${sideName(change.side)} cannot be set back to ${value} while ${change.side === 'platform' ? 'inbound' : 'outbound'} sync is off`;
  const rule = `${SideName(owner)} owns ${fieldLabel(field)} authoritatively, so edits made on ${sideName(change.side)} do not stand`;
  b.record({ field, side: change.side, outcome: 'reverted-by-owner', reason: `${what}; ${rule}: ${consequence}.` });
  b.timeline.push({
    kind: 'ownership',
    text: `${SideName(change.side)} changed ${fieldLabel(field)} to ${codec.describePlatform(change.platformValue)} ${change.actor}; ${rule}, so ${writable ? `it was set back to ${value}` : 'the change was not copied'}.`,
    occurredAt: b.now,
    author: null,
    dedupeKey: `ownership:${b.state.linkId}:${field}:${change.side}:${change.stamp}`,
  });
  planFieldWrites(b, field);
  return true;
}

import {
  DEFAULT_FIELD_OWNERSHIP,
  ownershipOf,
  type FieldOwnership,
  type IntegrationSettings,
} from './integration-settings';
import { SYNC_FIELDS, type Side } from './sync-field.types';

/** One integration's claim on a platform field. */
export interface OwnershipClaim {
  integrationId: string;
  owner: Side;
  priority: number;
  authoritative?: boolean;
}

/**
 * Among several integrations linked to one platform incident, whose claim on a field
 * stands: the highest priority; on equal priority a claim that the platform owns the field
 * beats an external claim, then the smallest integration id (plain string order).
 */
export function pickOwnerAmong(claims: readonly OwnershipClaim[]): OwnershipClaim | null {
  let best: OwnershipClaim | null = null;
  for (const claim of claims) {
    if (best === null || beats(claim, best)) best = claim;
  }
  return best;
}

function beats(a: OwnershipClaim, b: OwnershipClaim): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  if (a.owner !== b.owner) return a.owner === 'platform';
  return a.integrationId < b.integrationId;
}

/**
 * The field ownership to use for `self` when other integrations are linked to the same
 * platform incident: a field is owned by `self`'s PagerDuty only if `self`'s external claim
 * wins among all claims; otherwise the platform owns it from `self`'s point of view (the
 * winning integration's value reaches `self` through the platform). Pass the result as
 * `fieldOwnership` in the settings given to the decide functions.
 */
export function effectiveFieldOwnership(
  self: IntegrationSettings,
  peers: readonly IntegrationSettings[],
): FieldOwnership {
  const result: FieldOwnership = { ...DEFAULT_FIELD_OWNERSHIP };
  for (const field of SYNC_FIELDS) {
    const claims = [self, ...peers.filter((peer) => peer.integrationId !== self.integrationId)].map(
      (settings): OwnershipClaim => ({ integrationId: settings.integrationId, ...ownershipOf(settings, field) }),
    );
    const winner = pickOwnerAmong(claims);
    const ownedHere = winner !== null && winner.owner === 'external' && winner.integrationId === self.integrationId;
    // The winning claim's enforcement holds for every integration: an authoritative PagerDuty
    // owner elsewhere makes this integration's PagerDuty edits non-owner edits too.
    result[field] = { owner: ownedHere ? 'external' : 'platform', priority: winner?.priority ?? 0, ...(winner?.authoritative ? { authoritative: true } : {}) };
  }
  return result;
}

import { ownershipOf, type IntegrationSettings } from './integration-settings';
import type { TargetSource } from './link-state.types';
import { SideName, sideName } from './reason-text';
import type { EpochMs, Side, SyncField } from './sync-field.types';

export type ConflictVerdict = 'change-wins' | 'target-wins' | 'freeze';

/**
 * Applies the integration's strategy to a conflict between a new change on `change.side` and
 * the value the link was already driving towards (`target`, set by the other side, an
 * operator or the initial link).
 *
 * - last-write-wins: the later change time wins. Equal times (same millisecond) go to the
 *   field's owner; an operator's decision is never beaten by a tie.
 * - ownership-priority: the owner's value wins (for several integrations, pass the effective
 *   ownership from `effectiveFieldOwnership`).
 * - manual-review: nobody wins; the field freezes.
 */
export function chooseConflictWinner(
  settings: IntegrationSettings,
  field: SyncField,
  change: { side: Side; at: EpochMs },
  target: { source: TargetSource; at: EpochMs },
): { verdict: ConflictVerdict; rule: string } {
  const owner = ownershipOf(settings, field).owner;
  switch (settings.conflictStrategy) {
    case 'manual-review':
      return {
        verdict: 'freeze',
        rule: 'Manual review: the field is frozen for this incident until an operator decides; other fields keep syncing.',
      };
    case 'ownership-priority':
      return owner === change.side
        ? { verdict: 'change-wins', rule: `${SideName(owner)} owns ${field}, so its value wins.` }
        : { verdict: 'target-wins', rule: `${SideName(owner)} owns ${field}, so its value wins.` };
    case 'last-write-wins': {
      if (change.at > target.at) {
        return { verdict: 'change-wins', rule: `Last write wins: ${sideName(change.side)}'s change is the later one.` };
      }
      if (change.at < target.at) {
        return { verdict: 'target-wins', rule: `Last write wins: ${sideName(change.side)}'s change is the earlier one.` };
      }
      if (target.source === 'operator') {
        return { verdict: 'target-wins', rule: 'Last write wins: both changes carry the same time, and an operator decision is kept on a tie.' };
      }
      return owner === change.side
        ? { verdict: 'change-wins', rule: `Last write wins: both changes carry the same time, and the tie goes to the field's owner, ${sideName(owner)}.` }
        : { verdict: 'target-wins', rule: `Last write wins: both changes carry the same time, and the tie goes to the field's owner, ${sideName(owner)}.` };
    }
  }
}

import { PlatformStatus } from '@incident-sync/contracts';

/**
 * Legal status changes (documented in apps/incidents/README.md):
 *   open      → mitigated, resolved
 *   mitigated → open, resolved
 *   resolved  → open (reopen), closed
 *   closed    → open, only with an explicit reopen (POST …/reopen or PATCH {"reopen": true})
 * Closed is final otherwise: it is the state after the follow-up work, and PagerDuty has no
 * "closed" (closed→resolved outbound), so an inbound `resolved` must keep it closed.
 * Setting the current status again is not a transition (no change, no event).
 */
export const STATUS_TRANSITIONS: Readonly<Record<PlatformStatus, readonly PlatformStatus[]>> = {
  open: ['mitigated', 'resolved'],
  mitigated: ['open', 'resolved'],
  resolved: ['open', 'closed'],
  closed: [],
};

export type TransitionCheck = { legal: true } | { legal: false; reason: string };

export function checkTransition(from: PlatformStatus, to: PlatformStatus, options: { reopen?: boolean } = {}): TransitionCheck {
  if (from === to) return { legal: true };
  if (STATUS_TRANSITIONS[from].includes(to)) return { legal: true };
  if (from === 'closed' && to === 'open') {
    return options.reopen ? { legal: true } : { legal: false, reason: 'a closed incident is only reopened explicitly (POST /api/v1/incidents/:id/reopen or "reopen": true)' };
  }
  const allowed = STATUS_TRANSITIONS[from];
  return { legal: false, reason: `cannot change status from ${from} to ${to}; from ${from} it can become ${allowed.length ? allowed.join(', ') : 'open only by an explicit reopen'}` };
}

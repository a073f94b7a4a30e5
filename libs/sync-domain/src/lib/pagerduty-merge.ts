import type { EpochMs } from './sync-field.types';
import type { TimelineEntry } from './sync-input.types';

/**
 * A PagerDuty merge as the sync sees it (pure). PagerDuty sends no merge event: merging
 * resolves each source with `resolve_reason` = `merge_resolve_reason` naming the target
 * (FACTS §2.2; AS `PUT /incidents/{id}/merge`), and the target gets no event at all.
 */
export interface PagerDutyMerge {
  /** The event (or reconcile read) that reported the source resolved by the merge. */
  eventId: string;
  occurredAt: EpochMs;
  agentName: string | null;
  source: { pdIncidentId: string; number: number | null };
  target: { pdIncidentId: string; number: number | null };
  /** The platform incident the source is linked to. */
  sourcePlatformIncidentId: string;
  /** The platform incident the target is linked to in the same integration; null when it is not linked. */
  targetPlatformIncidentId: string | null;
}

/**
 * - `resolve-with-pointer`: the target is linked to another platform incident, where the work
 *   now goes. The source's platform incident resolves as the source did (the usual rules) and
 *   its timeline points at the target and its platform incident; its link stays on the source.
 * - `move-link`: the target is not linked. The source's link moves to the target, so the
 *   target's later changes reach this platform incident, which therefore stays open (it takes
 *   the target's current values by the usual rules); its timeline records the merge.
 */
export type MergePlan =
  | { action: 'resolve-with-pointer'; entry: TimelineEntry; reason: string }
  | { action: 'move-link'; entry: TimelineEntry; reason: string };

const pdName = (i: { pdIncidentId: string; number: number | null }): string => (i.number === null ? `PagerDuty incident ${i.pdIncidentId}` : `PagerDuty #${i.number}`);

export function planPagerDutyMerge(merge: PagerDutyMerge): MergePlan {
  const by = merge.agentName === null ? 'in PagerDuty' : `by ${merge.agentName} in PagerDuty`;
  const base = { occurredAt: merge.occurredAt, author: merge.agentName, dedupeKey: `pagerduty-merge:${merge.source.pdIncidentId}:${merge.target.pdIncidentId}` } as const;
  const into = pdName(merge.target);
  if (merge.targetPlatformIncidentId !== null && merge.targetPlatformIncidentId !== merge.sourcePlatformIncidentId) {
    return {
      action: 'resolve-with-pointer',
      entry: { ...base, kind: 'merged', text: `${pdName(merge.source)} was merged into ${into} ${by}; the work continues in platform incident ${merge.targetPlatformIncidentId}.` },
      reason: `${pdName(merge.source)} was merged into ${into}, which is linked to platform incident ${merge.targetPlatformIncidentId}: this platform incident resolves with a pointer to it.`,
    };
  }
  return {
    action: 'move-link',
    entry: { ...base, kind: 'merged', text: `${pdName(merge.source)} was merged into ${into} ${by}; this incident now follows ${into}.` },
    reason: `${pdName(merge.source)} was merged into ${into}, which no platform incident follows: the link moves to ${into}, so its later changes reach this platform incident.`,
  };
}

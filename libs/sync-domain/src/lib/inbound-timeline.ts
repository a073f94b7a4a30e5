import type { DecisionBuilder } from './decision-builder';
import { isOurNote, type ExternalAuthorship } from './echo-suppression';
import type { ExternalChange } from './sync-input.types';

/**
 * What a PagerDuty event adds to the platform incident's timeline (notes, escalations,
 * reassignments) and the display names carried with the ids it copies.
 */
export function addTimeline(b: DecisionBuilder, change: ExternalChange, authorship: ExternalAuthorship): void {
  for (const entry of change.timeline) {
    if ((entry.kind === 'escalated' || entry.kind === 'delegated') && !b.settings.syncEscalations) {
      b.record({
        field: null,
        side: 'external',
        outcome: 'field-not-synced',
        reason: `"${entry.text}" is not added to the platform timeline: escalation sync is off.`,
      });
      continue;
    }
    if (authorship === 'ours' || (entry.kind === 'note' && isOurNote(b.state, entry.text))) {
      b.record({
        field: null,
        side: 'external',
        outcome: 'echo',
        reason: `PagerDuty reports ${entry.kind === 'note' ? 'a note' : entry.kind === 'status_update' ? 'a status update' : `"${entry.text}"`} that we made ourselves; it is not copied back.`,
      });
      continue;
    }
    if (!b.flow.inbound) {
      b.record({
        field: null,
        side: 'external',
        outcome: b.settings.enabled && b.settings.direction !== 'none' ? 'direction-blocked' : 'sync-paused',
        reason: `A PagerDuty ${entry.kind} is not added to the platform timeline: inbound sync is off.`,
      });
      continue;
    }
    b.timeline.push(entry);
    b.record({
      field: null,
      side: 'external',
      outcome: 'applied',
      reason:
        entry.kind === 'note' || entry.kind === 'status_update'
          ? `A PagerDuty ${entry.kind === 'note' ? 'note' : 'status update'}${entry.author === null ? '' : ` by ${entry.author}`} is added to the platform timeline.`
          : `"${entry.text}" is added to the platform timeline.`,
    });
  }
}

/** Carries PagerDuty's display names for ids we copy to the platform. */
export function addLabels(b: DecisionBuilder, change: ExternalChange): void {
  const command = b.pendingPlatformCommand();
  if (command === null) return;
  if (
    command.set.escalation_policy !== undefined &&
    command.set.escalation_policy === change.observed.escalation_policy
  ) {
    command.labels.escalationPolicyName = change.labels.escalationPolicyName;
  }
  if (command.set.assigned_to !== undefined && change.observed.assigned_to !== undefined) {
    command.labels.assigneeName = change.labels.assigneeName;
  }
}

import type { LinkState } from './link-state.types';
import type { FieldDecision, PagerDutyIncidentUpdate } from './sync-decision.types';
import type { EpochMs, PlatformFieldValues, Urgency } from './sync-field.types';

/** A platform incident as the incidents service reports it. */
export interface PlatformIncidentSnapshot {
  version: number;
  occurredAt: EpochMs;
  fields: PlatformFieldValues;
}

/** `POST /incidents`, then (when `followUp` is set) `PUT /incidents/{id}`, as one command. */
export interface PagerDutyCreateCommand {
  commandId: string;
  /** Idempotency key (PagerDuty `incident_key`): the same link never creates two incidents. */
  incidentKey: string;
  title: string;
  urgency: Urgency;
  priority: string | null;
  /** `body.details` (the description). */
  details: string | null;
  /** `assignments[0].assignee.id`; mutually exclusive with `escalationPolicyId` on create. */
  assigneeId: string | null;
  escalationPolicyId: string | null;
  /** PagerDuty creates incidents triggered; a platform incident in another status needs a PUT. */
  followUp: PagerDutyIncidentUpdate | null;
}

/** Create a platform incident mirroring a PagerDuty one. */
export interface PlatformCreateCommand {
  commandId: string;
  /** null: unset (an unmapped PagerDuty service without a default incident type). */
  incidentType: string | null;
  pagerDutyIncidentId: string;
  fields: PlatformFieldValues;
  labels: { escalationPolicyName: string | null; assigneeName: string | null };
}

/** `command` and `state` are null when nothing is to be created (see `decisions`). */
export interface CreatePlan<C> {
  command: C | null;
  state: LinkState | null;
  decisions: FieldDecision[];
}

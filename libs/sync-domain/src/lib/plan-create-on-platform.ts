import { authorshipOf } from './echo-suppression';
import { codecFor } from './field-codec.mapping';
import type { CreatePlan, PlatformCreateCommand } from './create-plan.types';
import { emptyLinkState } from './create-link-state';
import { syncFlow, type IntegrationSettings } from './integration-settings';
import type { LinkState } from './link-state.types';
import type { FieldDecision } from './sync-decision.types';
import {
  SYNC_FIELDS,
  type EpochMs,
  type ExternalFieldValues,
  type PlatformFieldValues,
  type SyncField,
} from './sync-field.types';
import type { ExternalChange } from './sync-input.types';

/** PagerDuty service id → platform incident type. */
export type ServiceMapping = Readonly<Record<string, string>>;

/**
 * What an incident.triggered from a service that `ServiceMapping` does not name does: `create`
 * (the default, and the documentation's promise) a platform incident of `incidentType` (null =
 * unset), or `ignore` it (an explicit integration setting).
 */
export interface UnmappedServicePolicy {
  action: 'create' | 'ignore';
  incidentType: string | null;
}

export const CREATE_UNMAPPED: UnmappedServicePolicy = { action: 'create', incidentType: null };

/**
 * Plans the platform incident for a PagerDuty incident (from its `incident.triggered`
 * event), and the link state that expects it. Nothing is created when inbound sync is off,
 * the service is not mapped and `unmapped` says ignore, the event lacks incident data, or the
 * PagerDuty incident was created by our own bot (it already mirrors a platform incident).
 * Confirm with `acknowledgeWrite({side: 'platform', commandId, stamp: version})`.
 */
export function planCreateOnPlatform(
  input: { linkId: string; change: ExternalChange },
  settings: IntegrationSettings,
  serviceMapping: ServiceMapping,
  now: EpochMs,
  unmapped: UnmappedServicePolicy = CREATE_UNMAPPED,
): CreatePlan<PlatformCreateCommand> {
  const { change } = input;
  const refuse = (reason: string, outcome: FieldDecision['outcome'] = 'not-created'): CreatePlan<PlatformCreateCommand> => ({
    command: null,
    state: null,
    decisions: [{ field: null, side: 'external', outcome, reason }],
  });
  const observed = change.observed;
  if (
    change.classification !== 'handled' ||
    change.pagerDutyIncidentId === null ||
    observed.title === undefined ||
    observed.status === undefined ||
    observed.severity === undefined
  ) {
    return refuse(`No platform incident is created: PagerDuty ${change.eventType || 'event'} carries no usable incident data.`);
  }
  if (authorshipOf(change, settings) === 'ours') {
    return refuse('No platform incident is created: our own bot created this PagerDuty incident.', 'echo');
  }
  if (!syncFlow(settings).inbound) {
    return refuse('No platform incident is created: the integration does not sync from PagerDuty to the platform (or is disabled).');
  }
  const mappedType = change.serviceId === null ? undefined : serviceMapping[change.serviceId];
  if (mappedType === undefined && unmapped.action === 'ignore') {
    return refuse(`No platform incident is created: PagerDuty service ${change.serviceId ?? '(none)'} is not mapped to an incident type and the integration ignores unmapped services (unmapped_services=ignore).`);
  }
  const incidentType = mappedType ?? unmapped.incidentType;

  const decisions: FieldDecision[] = [];
  const context = { previous: null, current: null, priorityChanged: false };
  const severity = codecFor('severity').fromExternal(observed.severity, context, settings);
  const status = codecFor('status').fromExternal(observed.status, context, settings);
  const assignee =
    observed.assigned_to === undefined
      ? ({ ok: true, value: null } as const)
      : codecFor('assigned_to').fromExternal(observed.assigned_to, context, settings);
  if (!severity.ok || !status.ok) throw new Error('severity and status always map');
  if (!assignee.ok) {
    decisions.push({ field: 'assigned_to', side: 'external', outcome: 'unknown-user', reason: `${assignee.reason}.` });
  }
  const fields: PlatformFieldValues = {
    title: observed.title,
    description: null,
    severity: severity.value,
    status: status.value,
    assigned_to: assignee.ok ? assignee.value : null,
    escalation_policy: settings.syncEscalations ? observed.escalation_policy ?? null : null,
  };

  const state = emptyLinkState(input.linkId, settings.integrationId);
  const commandId = `${input.linkId}/${state.nextSeq}`;
  state.nextSeq += 1;
  const reported: Partial<ExternalFieldValues> = { ...observed, description: null };
  const mappable = new Set<SyncField>(SYNC_FIELDS.filter((f) => f !== 'assigned_to' || assignee.ok));
  for (const field of SYNC_FIELDS) {
    seedField(state, field, fields, reported, mappable.has(field), change, commandId, now);
  }
  state.lastExternalEventAt = change.occurredAt;
  decisions.unshift({
    field: null,
    side: 'external',
    outcome: 'created',
    reason: mappedType !== undefined
      ? `A platform incident of type ${mappedType} is created for PagerDuty incident ${change.pagerDutyIncidentId}.`
      : `A platform incident ${incidentType === null ? 'with no incident type' : `of the default type ${incidentType}`} is created for PagerDuty incident ${change.pagerDutyIncidentId}: PagerDuty service ${change.serviceId ?? '(none)'} is not mapped to an incident type.`,
    commandId,
  });
  return {
    command: {
      commandId,
      incidentType,
      pagerDutyIncidentId: change.pagerDutyIncidentId,
      fields,
      labels: change.labels,
    },
    state,
    decisions,
  };
}

function seedField<F extends SyncField>(
  state: LinkState,
  field: F,
  fields: PlatformFieldValues,
  reported: Partial<ExternalFieldValues>,
  mappable: boolean,
  change: ExternalChange,
  commandId: string,
  now: EpochMs,
): void {
  const fieldState = state.fields[field];
  const platformValue = fields[field];
  const externalValue: ExternalFieldValues[F] | undefined = reported[field];
  const stamp = change.occurredAt;
  if (externalValue !== undefined) {
    fieldState.external = {
      value: externalValue,
      stamp,
      at: stamp,
      ...(change.eventId === '' ? {} : { sourceIds: [change.eventId] }),
    };
  }
  fieldState.pending.platform.push({ commandId, value: platformValue, issuedAt: now, basedOnStamp: null });
  if (externalValue === undefined || !mappable) return;
  fieldState.target = {
    platform: platformValue,
    external: externalValue,
    source: 'initial',
    at: stamp,
    confirmed: { platform: null, external: stamp },
  };
}

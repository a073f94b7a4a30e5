import { codecFor } from './field-codec.mapping';
import type { CreatePlan, PagerDutyCreateCommand, PlatformIncidentSnapshot } from './create-plan.types';
import { emptyLinkState } from './create-link-state';
import { isFieldSynced, syncFlow, type IntegrationSettings } from './integration-settings';
import type { LinkState } from './link-state.types';
import { fieldLabel } from './reason-text';
import type { FieldDecision } from './sync-decision.types';
import {
  SYNC_FIELDS,
  type EpochMs,
  type ExternalFieldValues,
  type SyncField,
} from './sync-field.types';

/**
 * Plans the PagerDuty incident for a new platform incident, and the link state that expects
 * it. Confirm the command with `acknowledgeWrite({side: 'external', commandId, stamp, written})`
 * once the dispatcher reports the created incident.
 *
 * PagerDuty accepts either an assignee or an escalation policy on create: a mapped assignee
 * is sent; otherwise the escalation policy (if any). A field we could not send (unmapped
 * assignee, policy left out, none given) takes whatever PagerDuty picks, on its first report.
 */
export function planCreateInPagerDuty(
  /** incidentKey: PagerDuty's idempotency key for the create — the platform incident id, so a
   * retried create (or a second engine replica) can never make a second PagerDuty incident. */
  input: { linkId: string; incidentKey: string; incident: PlatformIncidentSnapshot },
  settings: IntegrationSettings,
  now: EpochMs,
): CreatePlan<PagerDutyCreateCommand> {
  if (!syncFlow(settings).outbound) {
    return {
      command: null,
      state: null,
      decisions: [
        {
          field: null,
          side: 'platform',
          outcome: 'not-created',
          reason: 'No PagerDuty incident is created: the integration does not sync from the platform to PagerDuty (or is disabled).',
        },
      ],
    };
  }
  const { incident } = input;
  const values = incident.fields;
  const state = emptyLinkState(input.linkId, settings.integrationId);
  const commandId = `${input.linkId}/${state.nextSeq}`;
  state.nextSeq += 1;
  const decisions: FieldDecision[] = [];

  const severity = codecFor('severity').toExternal(values.severity, settings);
  const status = codecFor('status').toExternal(values.status, settings);
  const assignee = codecFor('assigned_to').toExternal(values.assigned_to, settings);
  if (!severity.ok || !status.ok) throw new Error('severity and status always map');
  if (!assignee.ok) {
    decisions.push({ field: 'assigned_to', side: 'platform', outcome: 'unknown-user', reason: `${assignee.reason}.` });
  }
  const assigneeId = assignee.ok ? assignee.value : null;
  const policyId =
    assigneeId === null && settings.syncEscalations ? values.escalation_policy : null;

  const sent: Partial<ExternalFieldValues> = {
    title: values.title,
    description: values.description,
    severity: severity.value,
    status: status.value,
  };
  if (assigneeId !== null) sent.assigned_to = assigneeId;
  if (policyId !== null) sent.escalation_policy = policyId;

  for (const field of SYNC_FIELDS) seedField(state, field, incident, sent, commandId, now);
  state.lastPlatformVersion = incident.version;

  decisions.push({
    field: null,
    side: 'platform',
    outcome: 'created',
    reason: `A PagerDuty incident is created for this platform incident (${Object.keys(sent).map(fieldLabel).join(', ')} sent)${
      status.value === 'triggered' ? '' : `, then set to ${status.value}`
    }.`,
    commandId,
  });
  for (const field of SYNC_FIELDS) {
    if (sent[field] === undefined && isFieldSynced(settings, field)) {
      decisions.push({
        field,
        side: 'platform',
        outcome: 'no-change',
        reason: `${fieldLabel(field)} is not sent on create; the platform takes PagerDuty's value when PagerDuty first reports it.`,
      });
    }
  }

  return {
    command: {
      commandId,
      incidentKey: input.incidentKey,
      title: values.title,
      urgency: severity.value.urgency,
      priority: severity.value.priority,
      details: values.description,
      assigneeId,
      escalationPolicyId: policyId,
      followUp: status.value === 'triggered' ? null : { status: status.value },
    },
    state,
    decisions,
  };
}

function seedField<F extends SyncField>(
  state: LinkState,
  field: F,
  incident: PlatformIncidentSnapshot,
  sent: Partial<ExternalFieldValues>,
  commandId: string,
  now: EpochMs,
): void {
  const fieldState = state.fields[field];
  const platformValue = incident.fields[field];
  fieldState.platform = { value: platformValue, stamp: incident.version, at: incident.occurredAt };
  const externalValue: ExternalFieldValues[F] | undefined = sent[field];
  if (externalValue === undefined) return;
  fieldState.target = {
    platform: platformValue,
    external: externalValue,
    source: 'initial',
    at: incident.occurredAt,
    confirmed: { platform: incident.version, external: null },
  };
  fieldState.pending.external.push({ commandId, value: externalValue, issuedAt: now, basedOnStamp: null });
}

import type { PagerDutyCommandV1, PagerDutyUpdateFields } from '@incident-sync/contracts';
import type { ExternalWrite, PagerDutyCreateCommand, PagerDutyIncidentUpdate } from '@incident-sync/sync-domain';
import { pagerDutyCommandUuid } from './command-ids';
import type { PriorityResolver } from './priority-resolution';

export type { PriorityResolver } from './priority-resolution';

/** The link a command is about. */
export interface LinkRef {
  organizationId: string;
  integrationId: string;
  linkId: string;
  platformIncidentId: string;
  pdIncidentId: string | null;
}

/** A command with the domain write it carries (the outbound_write journal row). */
export interface IssuedPagerDutyCommand {
  command: PagerDutyCommandV1;
  domainCommandId: string;
}

/** The sync-domain's update in the dispatcher's vocabulary; undefined when nothing is left to send. */
export function toUpdateFields(update: PagerDutyIncidentUpdate, priorityId: PriorityResolver): PagerDutyUpdateFields | undefined {
  const fields: PagerDutyUpdateFields = {};
  if (update.title !== undefined) fields.title = update.title;
  if (update.status !== undefined) fields.status = update.status;
  if (update.urgency !== undefined) fields.urgency = update.urgency;
  // On an account without priorities the resolver answers undefined: no priority is sent.
  const priority = update.priority === undefined ? undefined : priorityId(update.priority);
  if (priority !== undefined) fields.priorityId = priority;
  // PagerDuty cannot "unassign" through PUT /incidents/{id} (an incident always has an
  // assignee or goes back to its escalation policy): a null assignee or policy is not sent.
  if (update.assigneeId !== undefined && update.assigneeId !== null) fields.assigneeUserId = update.assigneeId;
  if (update.escalationPolicyId !== undefined && update.escalationPolicyId !== null) fields.escalationPolicyId = update.escalationPolicyId;
  return Object.keys(fields).length > 0 ? fields : undefined;
}

/** `update_incident` (fields) and `add_note` (description change) for one domain write. */
export function updateCommands(link: LinkRef, write: ExternalWrite, priorityId: PriorityResolver, causationId: string, now: Date): IssuedPagerDutyCommand[] {
  const base = {
    organizationId: link.organizationId,
    integrationId: link.integrationId,
    platformIncidentId: link.platformIncidentId,
    pdIncidentId: link.pdIncidentId,
    causationId,
    issuedAt: now.toISOString(),
  };
  const issued: IssuedPagerDutyCommand[] = [];
  const update = toUpdateFields(write.update, priorityId);
  if (update) {
    issued.push({ domainCommandId: write.commandId, command: { ...base, commandId: pagerDutyCommandUuid(write.commandId, 'update'), action: 'update_incident', update } });
  }
  if (write.note !== null) {
    issued.push({ domainCommandId: write.commandId, command: { ...base, commandId: pagerDutyCommandUuid(write.commandId, 'note'), action: 'add_note', note: { content: write.note } } });
  }
  return issued;
}

/** A platform note copied to PagerDuty (not a field write: no domain command behind it). */
export function noteCommand(link: LinkRef, noteId: string, content: string, causationId: string, now: Date): IssuedPagerDutyCommand {
  const domainCommandId = `${link.linkId}/note/${noteId}`;
  return {
    domainCommandId,
    command: {
      commandId: pagerDutyCommandUuid(domainCommandId, 'note'),
      organizationId: link.organizationId,
      integrationId: link.integrationId,
      platformIncidentId: link.platformIncidentId,
      pdIncidentId: link.pdIncidentId,
      action: 'add_note',
      note: { content },
      causationId,
      issuedAt: now.toISOString(),
    },
  };
}

/**
 * `create_incident` with incident_key = the platform incident id (a retried create finds the
 * incident instead of opening a second one), then the follow-up update PagerDuty's create
 * cannot express (a status other than triggered).
 */
export function createCommands(
  link: LinkRef,
  create: PagerDutyCreateCommand,
  serviceId: string,
  priorityId: PriorityResolver,
  causationId: string,
  now: Date,
): IssuedPagerDutyCommand[] {
  const base = {
    organizationId: link.organizationId,
    integrationId: link.integrationId,
    platformIncidentId: link.platformIncidentId,
    pdIncidentId: null,
    causationId,
    issuedAt: now.toISOString(),
  };
  const fields: NonNullable<PagerDutyCommandV1['create']> = {
    title: create.title,
    serviceId,
    incidentKey: create.incidentKey,
    urgency: create.urgency,
  };
  const priority = create.priority === null ? undefined : priorityId(create.priority);
  if (priority) fields.priorityId = priority;
  if (create.details !== null && create.details.trim() !== '') fields.details = create.details;
  if (create.assigneeId !== null) fields.assigneeUserId = create.assigneeId;
  else if (create.escalationPolicyId !== null) fields.escalationPolicyId = create.escalationPolicyId;
  const issued: IssuedPagerDutyCommand[] = [
    { domainCommandId: create.commandId, command: { ...base, commandId: pagerDutyCommandUuid(create.commandId, 'create'), action: 'create_incident', create: fields } },
  ];
  const followUp = create.followUp === null ? undefined : toUpdateFields(create.followUp, priorityId);
  if (followUp) {
    issued.push({ domainCommandId: create.commandId, command: { ...base, commandId: pagerDutyCommandUuid(create.commandId, 'follow-up'), action: 'update_incident', update: followUp } });
  }
  return issued;
}

import { PagerDutyCreateFields, PagerDutyUpdateFields } from '@incident-sync/contracts';
import { CreateIncidentBody, UpdateIncidentBody } from '@incident-sync/pagerduty';

/**
 * `POST /incidents` body (AS createIncident; FACTS §2.3): `{"incident":{"type":"incident",…}}`.
 * incident_key = the platform incident id makes the create idempotent. `assignments` and
 * `escalation_policy` are mutually exclusive: an assignee wins.
 */
export function createIncidentBody(fields: PagerDutyCreateFields): CreateIncidentBody {
  const body: CreateIncidentBody = {
    type: 'incident',
    title: fields.title,
    service: { id: fields.serviceId, type: 'service_reference' },
    incident_key: fields.incidentKey,
  };
  if (fields.urgency) body.urgency = fields.urgency;
  if (fields.priorityId) body.priority = { id: fields.priorityId, type: 'priority_reference' };
  if (fields.details) body.body = { type: 'incident_body', details: fields.details };
  if (fields.assigneeUserId) body.assignments = [{ assignee: { id: fields.assigneeUserId, type: 'user_reference' } }];
  else if (fields.escalationPolicyId) body.escalation_policy = { id: fields.escalationPolicyId, type: 'escalation_policy_reference' };
  return body;
}

/** `PUT /incidents/{id}` body: `{"incident":{"type":"incident_reference",…}}` with only the fields that change. */
export function updateIncidentBody(fields: PagerDutyUpdateFields): UpdateIncidentBody {
  const body: UpdateIncidentBody = { type: 'incident_reference' };
  if (fields.status) body.status = fields.status;
  if (fields.title !== undefined) body.title = fields.title;
  if (fields.urgency) body.urgency = fields.urgency;
  if (fields.priorityId !== undefined) body.priority = fields.priorityId === null ? null : { id: fields.priorityId, type: 'priority_reference' };
  if (fields.assigneeUserId) body.assignments = [{ assignee: { id: fields.assigneeUserId, type: 'user_reference' } }];
  if (fields.escalationPolicyId) body.escalation_policy = { id: fields.escalationPolicyId, type: 'escalation_policy_reference' };
  return body;
}

/** What a create wrote, in the result's `written` vocabulary (the sync-engine's echo journal). */
export function writtenByCreate(fields: PagerDutyCreateFields): PagerDutyUpdateFields {
  const written: PagerDutyUpdateFields = { title: fields.title };
  if (fields.urgency) written.urgency = fields.urgency;
  if (fields.priorityId) written.priorityId = fields.priorityId;
  if (fields.assigneeUserId) written.assigneeUserId = fields.assigneeUserId;
  else if (fields.escalationPolicyId) written.escalationPolicyId = fields.escalationPolicyId;
  return written;
}

import { CreateIncidentInput, UpdateIncidentInput } from './incident.service';
import { PdError } from './pd-error';
import { IncidentStatus, Urgency } from './sim-model';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function refId(value: unknown, field: string, types: string[]): string {
  if (!isObj(value) || typeof value.id !== 'string' || !value.id) throw PdError.invalidInput(`${field} must be a reference with an id`);
  if (value.type !== undefined && !types.includes(String(value.type))) throw PdError.invalidInput(`${field} type must be one of ${types.join(', ')}`);
  return value.id;
}

function urgency(value: unknown): Urgency | undefined {
  if (value === undefined) return undefined;
  if (value !== 'high' && value !== 'low') throw PdError.invalidInput('Urgency must be high or low');
  return value;
}

function assignees(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw PdError.invalidInput('Assignments must be an array');
  return value.map((a, i) => refId(isObj(a) ? a.assignee : undefined, `assignments[${i}].assignee`, ['user_reference', 'user']));
}

/** `{"incident":{…}}` of POST /incidents (FACTS §2.3), as the API checks it. */
export function parseCreateIncident(body: unknown): CreateIncidentInput {
  const incident = isObj(body) ? body.incident : undefined;
  if (!isObj(incident)) throw PdError.invalidInput('Incident is required');
  if (incident.type !== 'incident') throw PdError.invalidInput('Incident type must be "incident"');
  if (typeof incident.title !== 'string' || !incident.title.trim()) throw PdError.invalidInput('Title cannot be empty');
  const input: CreateIncidentInput = {
    title: incident.title,
    serviceId: refId(incident.service, 'service', ['service_reference']),
    urgency: urgency(incident.urgency),
    assigneeIds: assignees(incident.assignments),
  };
  if (incident.escalation_policy !== undefined) input.escalationPolicyId = refId(incident.escalation_policy, 'escalation_policy', ['escalation_policy_reference']);
  if (incident.priority !== undefined && incident.priority !== null) input.priority = refId(incident.priority, 'priority', ['priority_reference', 'priority']);
  if (incident.incident_key !== undefined && incident.incident_key !== null) {
    if (typeof incident.incident_key !== 'string') throw PdError.invalidInput('Incident key must be a string');
    input.incidentKey = incident.incident_key;
  }
  if (incident.body !== undefined) {
    if (!isObj(incident.body)) throw PdError.invalidInput('Body must be an object');
    // Details must be a string (DD 15-Incident-Creation-API, FACTS §2.3).
    if (incident.body.details !== undefined && typeof incident.body.details !== 'string') throw PdError.invalidInput('Details must be a string');
    input.details = (incident.body.details as string | undefined) ?? null;
  }
  if (isObj(incident.incident_type) && typeof incident.incident_type.name === 'string') input.incidentType = incident.incident_type.name;
  return input;
}

/** One incident of PUT /incidents/{id} (`{"incident":{…}}`) or of the bulk PUT /incidents list. */
export function parseUpdateIncident(incident: unknown): UpdateIncidentInput {
  if (!isObj(incident)) throw PdError.invalidInput('Incident is required');
  if (incident.type !== 'incident' && incident.type !== 'incident_reference') throw PdError.invalidInput('Incident type must be "incident" or "incident_reference"');
  const patch: UpdateIncidentInput = {};
  if (incident.status !== undefined) {
    if (!['triggered', 'acknowledged', 'resolved'].includes(String(incident.status))) throw new PdError(400, 1003, 'Invalid Status Provided');
    patch.status = incident.status as IncidentStatus;
  }
  if (incident.resolution !== undefined) {
    if (typeof incident.resolution !== 'string') throw PdError.invalidInput('Resolution must be a string');
    patch.resolution = incident.resolution;
  }
  if (incident.title !== undefined) {
    if (typeof incident.title !== 'string') throw PdError.invalidInput('Title must be a string');
    patch.title = incident.title;
  }
  if (incident.priority !== undefined) {
    // A reference, a priority name (FACTS §2.3), or null to clear.
    patch.priority = incident.priority === null ? null : typeof incident.priority === 'string' ? incident.priority : refId(incident.priority, 'priority', ['priority', 'priority_reference']);
  }
  if (incident.escalation_level !== undefined) {
    if (typeof incident.escalation_level !== 'number' || !Number.isInteger(incident.escalation_level)) throw PdError.invalidInput('Escalation level must be an integer');
    patch.escalationLevel = incident.escalation_level;
  }
  const a = assignees(incident.assignments);
  if (a) patch.assigneeIds = a;
  if (incident.escalation_policy !== undefined) patch.escalationPolicyId = refId(incident.escalation_policy, 'escalation_policy', ['escalation_policy_reference', 'escalation_policy']);
  if (a && patch.escalationPolicyId && patch.status !== 'triggered') throw PdError.invalidInput('Assignments and escalation policy cannot both be specified');
  const u = urgency(incident.urgency);
  if (u) patch.urgency = u;
  if (incident.service !== undefined) patch.serviceId = refId(incident.service, 'service', ['service_reference']);
  return patch;
}

/* eslint-disable max-lines -- Exception (issue #17): the simulated account's incident state
   machine. Every change here must write its log entry and emit its webhook event together;
   one class keeps that rule in one place. Transition rules already live in
   incident-transitions.ts and on-call in oncall-rotation.ts. */
import { assertEditable, assertEscalationLevel, planStatusChange } from './incident-transitions';
import { usersAtLevel } from './oncall-rotation';
import { PdError } from './pd-error';
import { PdJson, PdRenderer } from './pd-render';
import { newIncidentKey, newPdId } from './sim-ids';
import { Actor, IncidentStatus, LogEntryType, SimIncident, SimLogEntry, SimNote, Urgency } from './sim-model';
import { SimState } from './sim-state';
import { newEvent, SimEvent } from './webhook-events';

export interface CreateIncidentInput {
  title: string;
  serviceId: string;
  urgency?: Urgency;
  priority?: string | null;
  incidentKey?: string | null;
  /** Child alerts' alert_keys: the incident then has no incident_key (see SimIncident.alertKeys). */
  alertKeys?: string[];
  assigneeIds?: string[];
  escalationPolicyId?: string;
  details?: string | null;
  incidentType?: string;
  createdAt?: string;
  status?: IncidentStatus;
}

export interface UpdateIncidentInput {
  status?: IncidentStatus;
  resolution?: string;
  title?: string;
  /** A priority id, a priority NAME (PUT accepts names, FACTS §2.3), or null to clear. */
  priority?: string | null;
  escalationLevel?: number;
  assigneeIds?: string[];
  escalationPolicyId?: string;
  urgency?: Urgency;
  serviceId?: string;
}

export type Channel = 'api' | 'website';

/**
 * The incident rules of the simulated account, shared by the REST API and the simulated
 * responders (/sim/incidents/…): each change updates state, writes a log entry and emits the
 * v3 webhook event PagerDuty sends for it (FACTS §1.2, §3.6). Urgency and title changes emit
 * none, as in PagerDuty.
 */
export class IncidentService {
  rejectResolvedEdits = true;
  /** Events of the request being applied (see update): sent when it has applied in full. */
  private deferred: { type: string; actor: Actor }[] | null = null;

  constructor(
    private readonly state: SimState,
    private readonly render: PdRenderer,
    private readonly emit: (event: SimEvent) => void,
  ) {}

  create(actor: Actor, input: CreateIncidentInput, channel: Channel): SimIncident {
    const service = this.state.service(input.serviceId);
    if (!service) throw PdError.invalidInput('Service not found');
    if (!input.title || !input.title.trim()) throw PdError.invalidInput('Title cannot be empty');
    if (input.assigneeIds?.length && input.escalationPolicyId) throw PdError.invalidInput('Assignments and escalation policy cannot both be specified');
    if ((input.assigneeIds?.length ?? 0) > 1) throw PdError.invalidInput('Only one assignee is supported when creating an incident');
    if (input.incidentKey) {
      for (const other of this.state.incidents.values()) {
        if (other.serviceId === service.id && other.incidentKey === input.incidentKey && other.status !== 'resolved') {
          throw PdError.invalidInput(`Open incident with key '${input.incidentKey}' already exists for this service`);
        }
      }
    }
    const epId = input.escalationPolicyId ?? service.escalation_policy_id;
    const policy = this.state.escalationPolicy(epId);
    if (!policy) throw new PdError(400, 1014, 'Escalation Policy Not Found');
    for (const u of input.assigneeIds ?? []) if (!this.state.user(u)) throw new PdError(400, 1007, 'Assigned To User Not Found');
    const priorityId = input.priority === undefined || input.priority === null ? null : this.resolvePriority(input.priority);

    const now = this.state.nowIso();
    const at = input.createdAt ?? now;
    const assigneeIds = input.assigneeIds?.length ? input.assigneeIds : usersAtLevel(policy, 1, this.state.now(), (id) => this.state.schedule(id));
    const id = newPdId(14, 'Q');
    const triggerLogId = newPdId(14, 'R');
    const incident: SimIncident = {
      id,
      number: this.state.nextIncidentNumber++,
      title: input.title,
      serviceId: service.id,
      escalationPolicyId: policy.id,
      teamIds: [...(service.team_ids ?? [])],
      status: 'triggered',
      urgency: input.urgency ?? 'high',
      priorityId,
      incidentKey: input.alertKeys?.length ? null : input.incidentKey ?? newIncidentKey(),
      alertKeys: input.alertKeys?.length ? [...input.alertKeys] : undefined,
      createdAt: at,
      updatedAt: at,
      lastStatusChangeAt: at,
      lastStatusChangeBy: actor,
      resolvedAt: null,
      reopenedAt: null,
      assignments: assigneeIds.map((userId) => ({ at, userId })),
      assignedVia: input.assigneeIds?.length ? 'direct_assignment' : 'escalation_policy',
      acknowledgements: [],
      escalationLevel: 1,
      bodyDetails: input.details ?? null,
      firstTriggerLogEntryId: triggerLogId,
      incidentType: input.incidentType ?? 'incident_default',
      mergeable: channel === 'website' || (input.alertKeys?.length ?? 0) > 0,
      mergedIntoId: null,
    };
    this.state.incidents.set(id, incident);
    this.log(incident, 'trigger_log_entry', actor, channel === 'api' ? 'api' : 'web_trigger', `Triggered through the ${channel === 'api' ? 'API' : 'website'}.`, { id: triggerLogId, details: input.details ?? null });
    this.event('incident.triggered', actor, incident);
    // Assigning an incident to yourself creates it already acknowledged (FACTS §2.3).
    if (actor.type === 'user' && input.assigneeIds?.length === 1 && input.assigneeIds[0] === actor.id) {
      this.applyStatus(incident, 'acknowledged', actor, channel, 'person');
    }
    if (input.status && input.status !== incident.status) this.applyStatus(incident, input.status, actor, channel, 'person');
    return incident;
  }

  update(actor: Actor, idOrNumber: string, patch: UpdateIncidentInput, channel: Channel, via: 'api' | 'person' = 'api'): SimIncident {
    const incident = this.get(idOrNumber);
    if (patch.resolution !== undefined && patch.status !== 'resolved') throw PdError.invalidInput('Resolution can only be given when resolving an incident');
    // Validate everything before changing anything, so a rejected request changes nothing.
    const nonStatusEdit = patch.title !== undefined || patch.priority !== undefined || patch.escalationLevel !== undefined
      || patch.assigneeIds !== undefined || patch.escalationPolicyId !== undefined || patch.urgency !== undefined || patch.serviceId !== undefined;
    const reopening = incident.status === 'resolved' && (patch.status === 'triggered' || patch.status === 'acknowledged');
    if (nonStatusEdit && !reopening) assertEditable(incident.status, this.rejectResolvedEdits);
    if (patch.status) planStatusChange(incident.status, patch.status, via);
    const priorityId = patch.priority === undefined ? undefined : patch.priority === null ? null : this.resolvePriority(patch.priority);
    if (patch.assigneeIds) for (const u of patch.assigneeIds) if (!this.state.user(u)) throw new PdError(400, 1007, 'Assigned To User Not Found');
    if (patch.assigneeIds && patch.assigneeIds.length === 0) throw new PdError(400, 1011, 'Cannot process reassign action', ['At least one assignee is required']);
    if (patch.escalationPolicyId && !this.state.escalationPolicy(patch.escalationPolicyId)) throw new PdError(400, 1014, 'Escalation Policy Not Found');
    if (patch.serviceId && !this.state.service(patch.serviceId)) throw PdError.invalidInput('Service not found');
    if (patch.escalationLevel !== undefined) {
      const policy = this.state.escalationPolicy(patch.escalationPolicyId ?? incident.escalationPolicyId);
      if (policy) assertEscalationLevel(patch.escalationLevel, policy.rules.length, policy.num_loops ?? 0);
    }
    if (patch.title !== undefined && patch.title !== incident.title && !patch.title.trim()) throw PdError.invalidInput('Title cannot be empty');

    // One request is one change of the incident: every event it causes is sent once the whole
    // request has applied, each carrying the incident as the request left it. (Emitting while
    // applying showed, for example, the new priority with the old title and urgency: a
    // snapshot PagerDuty never had, which a sync would take for a change.)
    this.deferred = [];
    try {
      this.applyUpdate(incident, actor, patch, channel, via, priorityId, reopening);
    } finally {
      const events = this.deferred;
      this.deferred = null;
      for (const e of events) this.event(e.type, e.actor, incident);
    }
    return incident;
  }

  private applyUpdate(
    incident: SimIncident, actor: Actor, patch: UpdateIncidentInput, channel: Channel, via: 'api' | 'person',
    priorityId: string | null | undefined, reopening: boolean,
  ): void {
    if (patch.status) this.applyStatus(incident, patch.status, actor, channel, via, patch.resolution, reopening ? patch : undefined);
    if (!reopening) {
      if (patch.escalationPolicyId && patch.escalationPolicyId !== incident.escalationPolicyId) this.delegate(incident, actor, patch.escalationPolicyId, channel);
      if (patch.escalationLevel !== undefined) this.escalate(incident, actor, patch.escalationLevel, channel);
      if (patch.assigneeIds) this.reassign(incident, actor, patch.assigneeIds, channel);
    }
    if (priorityId !== undefined && priorityId !== incident.priorityId) {
      incident.priorityId = priorityId;
      this.touch(incident);
      // No log entry: the document's log-entry types have none for priority changes.
      this.event('incident.priority_updated', actor, incident);
    }
    if (patch.urgency && patch.urgency !== incident.urgency) {
      // No webhook exists for urgency changes (FACTS §1.2).
      incident.urgency = patch.urgency;
      this.touch(incident);
      this.log(incident, 'urgency_change_log_entry', actor, channel, `Urgency changed to ${patch.urgency}.`);
    }
    if (patch.title !== undefined && patch.title !== incident.title) {
      incident.title = patch.title;
      this.touch(incident);
    }
    if (patch.serviceId && patch.serviceId !== incident.serviceId) {
      const service = this.state.service(patch.serviceId);
      incident.serviceId = patch.serviceId;
      incident.teamIds = [...(service?.team_ids ?? [])];
      this.touch(incident);
      this.event('incident.service_updated', actor, incident);
    }
  }

  /**
   * `PUT /incidents/{id}/merge` (AS mergeIncidents): the sources' alerts move to the target and
   * each source is resolved with `resolve_reason` = `merge_resolve_reason` naming the target.
   * PagerDuty sends no merge event: each source's `incident.resolved` carries the reason; the
   * target gets no event. Refusals, all checked before anything changes (a refused merge changes
   * nothing): a resolved target (the document: "The target incident must be open"), an incident
   * that is not mergeable, a source that is the target; inference (no source names the codes): a
   * source already merged → 400 1019 Incident Already Merged, a resolved source → 400 1001.
   */
  merge(actor: Actor, targetIdOrNumber: string, sourceIds: string[], channel: Channel): SimIncident {
    const target = this.get(targetIdOrNumber);
    if (sourceIds.length === 0) throw PdError.invalidInput('source_incidents must name at least one incident');
    if (target.status === 'resolved') throw PdError.invalidInput('Open incidents cannot be merged into a resolved incident; the target incident must be open');
    if (!target.mergeable) throw PdError.invalidInput(`Incident ${target.id} cannot be merged: only incidents that have alerts or were created manually in the UI can be merged`);
    const sources = [...new Set(sourceIds)].map((id) => {
      const source = this.state.incident(id);
      if (!source) throw PdError.invalidInput(`Source incident ${id} not found`);
      if (source.id === target.id) throw PdError.invalidInput('An incident cannot be merged into itself');
      if (source.mergedIntoId !== null) throw new PdError(400, 1019, 'Incident Already Merged');
      if (source.status === 'resolved') throw new PdError(400, 1001, 'Incident Already Resolved');
      if (!source.mergeable) throw PdError.invalidInput(`Incident ${source.id} cannot be merged: only incidents that have alerts or were created manually in the UI can be merged`);
      return source;
    });
    for (const source of sources) {
      // A source created in the UI without alerts arrives in the target as one alert of its own.
      const moved = source.alertKeys?.length ? source.alertKeys : [source.incidentKey ?? source.id];
      target.alertKeys = [...(target.alertKeys ?? []), ...moved];
      source.alertKeys = [];
      source.mergedIntoId = target.id;
      this.applyStatus(source, 'resolved', actor, channel, 'person', `Merged into #${target.number}.`);
    }
    this.touch(target);
    return target;
  }

  addNote(actor: Actor, idOrNumber: string, content: string, channel: Channel): SimNote {
    const incident = this.get(idOrNumber);
    if (typeof content !== 'string' || !content.trim()) throw PdError.invalidInput('Content cannot be empty');
    const notes = this.state.notes.get(incident.id) ?? [];
    if (notes.length >= 2000) throw PdError.invalidInput('An incident can have at most 2000 notes');
    if (actor.type !== 'user') throw PdError.requesterNotFound();
    const now = this.state.nowIso();
    const note: SimNote = { id: newPdId(), incidentId: incident.id, userId: actor.id, content, createdAt: now, updatedAt: now };
    notes.push(note);
    this.state.notes.set(incident.id, notes);
    this.log(incident, 'annotate_log_entry', actor, channel === 'api' ? 'api' : 'note', 'Note added.', { note: content });
    const data: PdJson = { incident: this.render.incidentReference(incident), id: note.id, content: note.content, trimmed: false, type: 'incident_note' };
    this.emit(newEvent('incident.annotated', this.render.actorRef(actor), data, this.route(incident), this.state.now()));
    return note;
  }

  get(idOrNumber: string): SimIncident {
    const incident = this.state.incident(idOrNumber);
    if (!incident) throw PdError.incidentNotFound();
    return incident;
  }

  private resolvePriority(value: string): string {
    // An account without priorities has no priority to name. Inference (no source says what
    // PagerDuty answers): 400 1020 Invalid Priority, the documented status for a bad priority.
    if (!this.state.hasPriorities()) throw new PdError(400, 1020, 'Invalid Priority', ['The account has no priorities']);
    const byId = this.state.seed.priorities.find((p) => p.id === value);
    if (byId) return byId.id;
    // Names: the highest (first listed) priority with that name wins (FACTS §2.3).
    const byName = this.state.seed.priorities.find((p) => p.name === value);
    if (byName) return byName.id;
    throw new PdError(400, 1020, 'Invalid Priority');
  }

  private applyStatus(incident: SimIncident, target: IncidentStatus, actor: Actor, channel: Channel, via: 'api' | 'person', resolution?: string, reopen?: UpdateIncidentInput): void {
    const change = planStatusChange(incident.status, target, via);
    const now = this.state.nowIso();
    switch (change) {
      case 'none':
        return;
      case 'acknowledge':
        incident.status = 'acknowledged';
        if (actor.type === 'user') incident.acknowledgements = [...incident.acknowledgements.filter((a) => a.userId !== actor.id), { at: now, userId: actor.id }];
        this.statusChanged(incident, actor);
        this.log(incident, 'acknowledge_log_entry', actor, channel, 'Acknowledged.');
        this.event('incident.acknowledged', actor, incident);
        return;
      case 'unacknowledge':
        incident.status = 'triggered';
        incident.acknowledgements = [];
        this.statusChanged(incident, actor);
        this.log(incident, 'unacknowledge_log_entry', actor, channel, 'Unacknowledged.');
        this.event('incident.unacknowledged', actor, incident);
        return;
      case 'resolve':
        incident.status = 'resolved';
        incident.resolvedAt = now;
        incident.acknowledgements = [];
        // Assignments are empty once resolved (FACTS §3.11).
        incident.assignments = [];
        this.statusChanged(incident, actor);
        this.log(incident, 'resolve_log_entry', actor, channel, 'Resolved.', { note: resolution ?? null });
        this.event('incident.resolved', actor, incident);
        return;
      case 'reopen': {
        // Reopen to triggered assigns from the request's assignees/escalation policy, else the
        // current policy; reopen to acknowledged assigns the acting user (FACTS §2.3).
        if (reopen?.escalationPolicyId) incident.escalationPolicyId = reopen.escalationPolicyId;
        incident.status = target;
        incident.resolvedAt = null;
        incident.reopenedAt = now;
        incident.escalationLevel = 1;
        let assignees: string[];
        if (target === 'acknowledged' && actor.type === 'user') assignees = [actor.id];
        else if (reopen?.assigneeIds?.length) assignees = reopen.assigneeIds;
        else assignees = this.onCall(incident.escalationPolicyId, 1);
        incident.assignments = assignees.map((userId) => ({ at: now, userId }));
        incident.assignedVia = reopen?.assigneeIds?.length ? 'direct_assignment' : 'escalation_policy';
        incident.acknowledgements = target === 'acknowledged' && actor.type === 'user' ? [{ at: now, userId: actor.id }] : [];
        this.statusChanged(incident, actor);
        // The document's log-entry types have no reopen; a reopen is logged as a new trigger.
        this.log(incident, 'trigger_log_entry', actor, channel, `Reopened as ${target}.`, { assigneeIds: assignees });
        this.event('incident.reopened', actor, incident);
        return;
      }
    }
  }

  private reassign(incident: SimIncident, actor: Actor, userIds: string[], channel: Channel): void {
    const now = this.state.nowIso();
    incident.assignments = [...new Set(userIds)].map((userId) => ({ at: now, userId }));
    incident.assignedVia = 'direct_assignment';
    // A reassigned incident is triggered again for its new assignees.
    if (incident.status === 'acknowledged') {
      incident.status = 'triggered';
      incident.acknowledgements = [];
      this.statusChanged(incident, actor);
    }
    this.touch(incident);
    this.log(incident, 'assign_log_entry', actor, channel, 'Reassigned.', { assigneeIds: userIds });
    this.event('incident.reassigned', actor, incident);
  }

  private delegate(incident: SimIncident, actor: Actor, policyId: string, channel: Channel): void {
    incident.escalationPolicyId = policyId;
    incident.escalationLevel = 1;
    this.assignFromPolicy(incident, actor);
    this.log(incident, 'delegate_log_entry', actor, channel, `Delegated to ${this.render.ref('escalation_policy', policyId).summary}.`, { assigneeIds: incident.assignments.map((a) => a.userId) });
    this.event('incident.delegated', actor, incident);
  }

  private escalate(incident: SimIncident, actor: Actor, level: number, channel: Channel): void {
    incident.escalationLevel = level;
    this.assignFromPolicy(incident, actor);
    this.log(incident, 'escalate_log_entry', actor, channel, `Escalated to level ${level}.`, { assigneeIds: incident.assignments.map((a) => a.userId) });
    this.event('incident.escalated', actor, incident);
  }

  private assignFromPolicy(incident: SimIncident, actor: Actor): void {
    const now = this.state.nowIso();
    incident.assignments = this.onCall(incident.escalationPolicyId, incident.escalationLevel).map((userId) => ({ at: now, userId }));
    incident.assignedVia = 'escalation_policy';
    if (incident.status === 'acknowledged') {
      incident.status = 'triggered';
      incident.acknowledgements = [];
      this.statusChanged(incident, actor);
    }
    this.touch(incident);
  }

  private onCall(policyId: string, level: number): string[] {
    const policy = this.state.escalationPolicy(policyId);
    return policy ? usersAtLevel(policy, level, this.state.now(), (id) => this.state.schedule(id)) : [];
  }

  private statusChanged(incident: SimIncident, actor: Actor): void {
    const now = this.state.nowIso();
    incident.lastStatusChangeAt = now;
    incident.lastStatusChangeBy = actor;
    incident.updatedAt = now;
  }

  private touch(incident: SimIncident): void {
    incident.updatedAt = this.state.nowIso();
  }

  private log(incident: SimIncident, type: LogEntryType, actor: Actor, channel: SimLogEntry['channelType'] | Channel, summary: string, extra: { id?: string; details?: string | null; note?: string | null; assigneeIds?: string[] } = {}): void {
    this.state.logEntries.push({
      id: extra.id ?? newPdId(14, 'R'),
      type,
      incidentId: incident.id,
      createdAt: this.state.nowIso(),
      agent: actor,
      channelType: channel,
      summary,
      ...(extra.details !== undefined ? { details: extra.details } : {}),
      ...(extra.note ? { note: extra.note } : {}),
      ...(extra.assigneeIds ? { assigneeIds: extra.assigneeIds } : {}),
    });
  }

  private route(incident: SimIncident): { incidentId: string; serviceId: string; teamIds: string[] } {
    return { incidentId: incident.id, serviceId: incident.serviceId, teamIds: [...incident.teamIds] };
  }

  private event(type: string, actor: Actor, incident: SimIncident): void {
    if (this.deferred) {
      this.deferred.push({ type, actor });
      return;
    }
    // The data is a snapshot taken now: later changes must not leak into a queued delivery.
    this.emit(newEvent(type, this.render.actorRef(actor), this.render.webhookIncident(incident), this.route(incident), this.state.now()));
  }
}

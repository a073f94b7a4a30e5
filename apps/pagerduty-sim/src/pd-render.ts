import { shiftsBetween } from './oncall-rotation';
import { SeedEscalationPolicy, SeedSchedule, SeedService, SeedUser } from './seed';
import { Actor, SimIncident, SimLogEntry, SimNote, SimSubscription } from './sim-model';
import { SimState } from './sim-state';

export type PdJson = Record<string, unknown>;
export interface PdRef { id: string; type: string; summary: string; self: string; html_url: string | null }

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
/** Child alerts (alert grouping) resolve with their incident. */
const alertCounts = (i: SimIncident): { all: number; triggered: number; resolved: number } => {
  const all = i.alertKeys?.length ?? 0;
  return i.status === 'resolved' ? { all, triggered: 0, resolved: all } : { all, triggered: all, resolved: 0 };
};

/**
 * Turns simulator state into PagerDuty REST v2 shapes: wrapped entities, `*_reference`s with
 * id/type/summary/self/html_url (FACTS §2.1), timestamps in seconds precision like the API.
 * `self` points at this simulator (so clients can follow it); `html_url` at the account's UI.
 */
export class PdRenderer {
  constructor(private readonly state: SimState, private apiBase: string) {}

  /** Once the listening port is known (PORT=0 in tests). */
  setApiBase(url: string): void {
    this.apiBase = url.replace(/\/+$/, '');
  }

  private get web(): string {
    return `https://${this.state.seed.account.subdomain}.pagerduty.com`;
  }

  ref(type: 'user' | 'service' | 'escalation_policy' | 'team' | 'schedule' | 'incident' | 'priority', id: string): PdRef {
    const collection = { user: 'users', service: 'services', escalation_policy: 'escalation_policies', team: 'teams', schedule: 'schedules', incident: 'incidents', priority: 'priorities' }[type];
    const webPath = { user: 'users', service: 'service-directory', escalation_policy: 'escalation_policies', team: 'teams', schedule: 'schedules', incident: 'incidents', priority: 'account/incident_priorities' }[type];
    return {
      id,
      type: `${type}_reference`,
      summary: this.summaryOf(type, id),
      self: `${this.apiBase}/${collection}/${id}`,
      html_url: type === 'priority' ? `${this.web}/${webPath}` : `${this.web}/${webPath}/${id}`,
    };
  }

  private summaryOf(type: string, id: string): string {
    const s = this.state;
    switch (type) {
      case 'user': return s.user(id)?.name ?? id;
      case 'service': return s.service(id)?.name ?? id;
      case 'escalation_policy': return s.escalationPolicy(id)?.name ?? id;
      case 'schedule': return s.schedule(id)?.name ?? id;
      case 'team': return s.seed.teams.find((t) => t.id === id)?.name ?? id;
      case 'priority': return s.seed.priorities.find((p) => p.id === id)?.name ?? id;
      case 'incident': {
        const i = s.incidents.get(id);
        return i ? `[#${i.number}] ${i.title}` : id;
      }
      default: return id;
    }
  }

  actorRef(actor: Actor): PdRef {
    return this.ref(actor.type, actor.id);
  }

  priorityRef(id: string): PdJson {
    const p = this.state.seed.priorities.find((x) => x.id === id);
    return { id, type: 'priority_reference', summary: p?.name ?? id, self: `${this.apiBase}/priorities/${id}`, html_url: `${this.web}/account/incident_priorities` };
  }

  incident(i: SimIncident): PdJson {
    return {
      id: i.id,
      type: 'incident',
      summary: `[#${i.number}] ${i.title}`,
      self: `${this.apiBase}/incidents/${i.id}`,
      html_url: `${this.web}/incidents/${i.id}`,
      incident_number: i.number,
      title: i.title,
      created_at: i.createdAt,
      updated_at: i.updatedAt,
      status: i.status,
      // An incident with child alerts has no incident_key (FACTS §2.2): absent, not a string.
      ...(i.incidentKey === null ? {} : { incident_key: i.incidentKey }),
      service: this.ref('service', i.serviceId),
      assignments: i.assignments.map((a) => ({ at: a.at, assignee: this.ref('user', a.userId) })),
      assigned_via: i.assignedVia,
      last_status_change_at: i.lastStatusChangeAt,
      last_status_change_by: this.actorRef(i.lastStatusChangeBy),
      resolved_at: i.resolvedAt,
      first_trigger_log_entry: this.logEntryRef(i.firstTriggerLogEntryId, 'trigger_log_entry', i.id),
      alert_counts: alertCounts(i),
      is_mergeable: i.mergeable,
      incident_type: { name: i.incidentType },
      escalation_policy: this.ref('escalation_policy', i.escalationPolicyId),
      teams: i.teamIds.map((t) => this.ref('team', t)),
      pending_actions: [],
      acknowledgements: i.acknowledgements.map((a) => ({ at: a.at, acknowledger: this.ref('user', a.userId) })),
      priority: i.priorityId ? { ...this.priorityRef(i.priorityId) } : null,
      resolve_reason: this.resolveReason(i),
      incidents_responders: [],
      responder_requests: [],
      urgency: i.urgency,
    };
  }

  /** `event.data` of incident webhooks: exactly the fields of real v3 payloads (FACTS §1.1). */
  webhookIncident(i: SimIncident): PdJson {
    return {
      id: i.id,
      type: 'incident',
      self: `${this.apiBase}/incidents/${i.id}`,
      html_url: `${this.web}/incidents/${i.id}`,
      number: i.number,
      status: i.status,
      ...(i.incidentKey === null ? {} : { incident_key: i.incidentKey }),
      created_at: i.createdAt,
      reopened_at: i.reopenedAt,
      title: i.title,
      service: this.ref('service', i.serviceId),
      assignees: i.status === 'resolved' ? [] : i.assignments.map((a) => this.ref('user', a.userId)),
      escalation_policy: this.ref('escalation_policy', i.escalationPolicyId),
      teams: i.teamIds.map((t) => this.ref('team', t)),
      priority: i.priorityId ? this.priorityRef(i.priorityId) : null,
      urgency: i.urgency,
      conference_bridge: null,
      resolve_reason: this.resolveReason(i),
      incident_type: { name: i.incidentType },
    };
  }

  /** `merge_resolve_reason` pointing at the target for a merged source (AS ResolveReason), else null. */
  resolveReason(i: SimIncident): PdJson | null {
    const target = i.mergedIntoId === null ? undefined : this.state.incidents.get(i.mergedIntoId);
    return target === undefined ? null : { type: 'merge_resolve_reason', incident: this.incidentReference(target) };
  }

  incidentReference(i: SimIncident): PdJson {
    return { id: i.id, type: 'incident_reference', self: `${this.apiBase}/incidents/${i.id}`, html_url: `${this.web}/incidents/${i.id}`, summary: i.title };
  }

  logEntryRef(id: string, type: string, incidentId: string): PdJson {
    return { id, type: `${type}_reference`, summary: this.logSummary(type), self: `${this.apiBase}/log_entries/${id}`, html_url: `${this.web}/incidents/${incidentId}/log_entries/${id}` };
  }

  private logSummary(type: string): string {
    return type.replace(/_log_entry$/, '').replace(/_/g, ' ');
  }

  logEntry(e: SimLogEntry, includeChannels = false): PdJson {
    const incident = this.state.incidents.get(e.incidentId);
    const channel: PdJson = { type: e.channelType };
    if (includeChannels && e.details !== undefined) channel.details = e.details;
    const out: PdJson = {
      id: e.id,
      type: e.type,
      summary: e.summary,
      self: `${this.apiBase}/log_entries/${e.id}`,
      html_url: `${this.web}/incidents/${e.incidentId}/log_entries/${e.id}`,
      created_at: e.createdAt,
      agent: this.actorRef(e.agent),
      channel,
      service: incident ? this.ref('service', incident.serviceId) : undefined,
      incident: incident ? this.ref('incident', incident.id) : undefined,
      teams: incident ? incident.teamIds.map((t) => this.ref('team', t)) : [],
      contexts: [],
    };
    if (e.assigneeIds) out.assignees = e.assigneeIds.map((u) => this.ref('user', u));
    if (e.note) out.note = e.note;
    if (e.type === 'trigger_log_entry') out.event_details = { description: incident?.title ?? '' };
    return out;
  }

  note(n: SimNote): PdJson {
    return {
      id: n.id,
      user: this.ref('user', n.userId),
      channel: { summary: 'The PagerDuty website or APIs' },
      content: n.content,
      created_at: n.createdAt,
      updated_at: n.updatedAt,
    };
  }

  user(u: SeedUser): PdJson {
    return {
      id: u.id,
      type: 'user',
      summary: u.name,
      self: `${this.apiBase}/users/${u.id}`,
      html_url: `${this.web}/users/${u.id}`,
      name: u.name,
      email: u.email,
      time_zone: u.time_zone ?? 'Etc/UTC',
      color: 'green',
      role: u.role ?? 'user',
      avatar_url: 'https://pd-static-assets.pagerduty.com/users/blank-avatar.png',
      description: null,
      invitation_sent: false,
      job_title: u.job_title ?? null,
      contact_methods: [],
      notification_rules: [],
      teams: (u.team_ids ?? []).map((t) => this.ref('team', t)),
    };
  }

  service(s: SeedService): PdJson {
    return {
      id: s.id,
      type: 'service',
      summary: s.name,
      self: `${this.apiBase}/services/${s.id}`,
      html_url: `${this.web}/service-directory/${s.id}`,
      name: s.name,
      description: s.description ?? null,
      auto_resolve_timeout: s.auto_resolve_timeout ?? null,
      acknowledgement_timeout: s.acknowledgement_timeout ?? null,
      created_at: '2026-01-01T00:00:00Z',
      status: 'active',
      alert_creation: 'create_alerts_and_incidents',
      integrations: [],
      escalation_policy: this.ref('escalation_policy', s.escalation_policy_id),
      teams: (s.team_ids ?? []).map((t) => this.ref('team', t)),
      incident_urgency_rule: { type: 'constant', urgency: 'high' },
    };
  }

  escalationPolicy(ep: SeedEscalationPolicy): PdJson {
    return {
      id: ep.id,
      type: 'escalation_policy',
      summary: ep.name,
      self: `${this.apiBase}/escalation_policies/${ep.id}`,
      html_url: `${this.web}/escalation_policies/${ep.id}`,
      name: ep.name,
      description: ep.description ?? null,
      on_call_handoff_notifications: 'if_has_services',
      num_loops: ep.num_loops ?? 0,
      escalation_rules: ep.rules.map((r) => ({
        id: r.id,
        escalation_delay_in_minutes: r.escalation_delay_in_minutes,
        targets: r.targets.map((t) => this.ref(t.type === 'user_reference' ? 'user' : 'schedule', t.id)),
      })),
      services: this.state.seed.services.filter((s) => s.escalation_policy_id === ep.id).map((s) => this.ref('service', s.id)),
      teams: (ep.team_ids ?? []).map((t) => this.ref('team', t)),
    };
  }

  schedule(s: SeedSchedule, since: number, until: number, overflow: boolean): PdJson {
    const entries = shiftsBetween(s, since, until).map((shift) => ({
      start: iso(overflow ? shift.start : Math.max(shift.start, since)),
      end: iso(overflow ? shift.end : Math.min(shift.end, until)),
      user: this.ref('user', shift.userId),
    }));
    const layerId = `PL${s.id.slice(-5)}`;
    return {
      id: s.id,
      type: 'schedule',
      summary: s.name,
      self: `${this.apiBase}/schedules/${s.id}`,
      html_url: `${this.web}/schedules/${s.id}`,
      name: s.name,
      time_zone: s.time_zone ?? 'Etc/UTC',
      description: s.description ?? null,
      escalation_policies: this.state.seed.escalation_policies.filter((ep) => ep.rules.some((r) => r.targets.some((t) => t.type === 'schedule_reference' && t.id === s.id))).map((ep) => this.ref('escalation_policy', ep.id)),
      users: [...new Set(s.user_ids)].map((u) => this.ref('user', u)),
      teams: (s.team_ids ?? []).map((t) => this.ref('team', t)),
      schedule_layers: [{
        id: layerId,
        name: 'Layer 1',
        start: iso(Date.parse(s.rotation_start)),
        rotation_virtual_start: iso(Date.parse(s.rotation_start)),
        rotation_turn_length_seconds: s.turn_length_seconds,
        users: s.user_ids.map((u) => ({ user: this.ref('user', u) })),
        restrictions: [],
        rendered_schedule_entries: entries,
        rendered_coverage_percentage: 100,
      }],
      overrides_subschedule: { name: 'Overrides', rendered_schedule_entries: [], rendered_coverage_percentage: 0 },
      final_schedule: { name: 'Final Schedule', rendered_schedule_entries: entries, rendered_coverage_percentage: 100 },
    };
  }

  /** `secret` is only ever passed on the create response (FACTS §1.6); it is null afterwards. */
  subscription(s: SimSubscription, secret: string | null = null): PdJson {
    return {
      id: s.id,
      type: 'webhook_subscription',
      active: s.active,
      delivery_method: {
        id: `${s.id}D`,
        type: 'http_delivery_method',
        url: s.url,
        secret,
        temporarily_disabled: s.temporarilyDisabled,
        custom_headers: s.customHeaders.map((h) => ({ name: h.name, value: '-- redacted --' })),
      },
      description: s.description,
      events: s.events,
      filter: s.filter.id === null ? { type: s.filter.type } : { type: s.filter.type, id: s.filter.id },
      // `oauth_client` appears only when an OAuth client is set (AS schema: an object, not nullable).
      ...(s.oauthClientId ? { oauth_client: { id: s.oauthClientId, type: 'oauth_client_reference', summary: 'OAuth client' } } : {}),
    };
  }
}

export { iso as isoSeconds };

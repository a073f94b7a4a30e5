/** In-memory entities of the simulated PagerDuty account (rendered to PD shapes by PdRenderer). */
export type IncidentStatus = 'triggered' | 'acknowledged' | 'resolved';
export type Urgency = 'high' | 'low';

/** Who did something: a user (REST From / user token / simulated person) or a service (automation). */
export type Actor = { type: 'user'; id: string } | { type: 'service'; id: string };

export interface SimIncident {
  id: string;
  number: number;
  title: string;
  serviceId: string;
  escalationPolicyId: string;
  teamIds: string[];
  status: IncidentStatus;
  urgency: Urgency;
  priorityId: string | null;
  /** The dedup key; null when the incident has child alerts (FACTS §2.2). */
  incidentKey: string | null;
  /**
   * `alert_key`s of the incident's child alerts (alert grouping). Such an incident has no
   * incident_key, yet `GET /incidents?incident_key=K` returns it when one of its alerts has
   * alert_key K (AS `incident_key` query parameter).
   */
  alertKeys?: string[];
  createdAt: string;
  updatedAt: string;
  lastStatusChangeAt: string;
  lastStatusChangeBy: Actor;
  resolvedAt: string | null;
  reopenedAt: string | null;
  assignments: { at: string; userId: string }[];
  assignedVia: 'escalation_policy' | 'direct_assignment';
  acknowledgements: { at: string; userId: string }[];
  escalationLevel: number;
  bodyDetails: string | null;
  firstTriggerLogEntryId: string;
  incidentType: string;
  /**
   * Whether it can take part in a merge: only incidents that have alerts or were created
   * manually in the UI can (AS `is_mergeable`, `PUT /incidents/{id}/merge`); a REST create is neither.
   */
  mergeable: boolean;
  /** The incident it was merged into (its `resolve_reason`, a `merge_resolve_reason`), else null. */
  mergedIntoId: string | null;
}

export interface SimNote { id: string; incidentId: string; userId: string; content: string; createdAt: string; updatedAt: string }

export type LogEntryType = 'trigger_log_entry' | 'acknowledge_log_entry' | 'unacknowledge_log_entry' | 'resolve_log_entry'
  | 'assign_log_entry' | 'escalate_log_entry' | 'delegate_log_entry' | 'annotate_log_entry' | 'urgency_change_log_entry';

export interface SimLogEntry {
  id: string;
  type: LogEntryType;
  incidentId: string;
  createdAt: string;
  agent: Actor;
  channelType: 'api' | 'website' | 'web_trigger' | 'note' | 'auto';
  summary: string;
  assigneeIds?: string[];
  details?: string | null;
  note?: string | null;
}

export interface SimSubscription {
  id: string;
  url: string;
  description: string;
  events: string[];
  filter: { type: 'account_reference' | 'service_reference' | 'team_reference'; id: string | null };
  active: boolean;
  temporarilyDisabled: boolean;
  /** Every active secret; deliveries carry one `v1=` signature per secret (rotation). */
  secrets: string[];
  customHeaders: { name: string; value: string }[];
  oauthClientId: string | null;
  consecutiveDrops: number;
  createdAt: string;
}

export interface SimCaller {
  token: 'account' | 'user';
  /** The token's owner for user tokens; null for account-level keys. */
  userId: string | null;
  /** Rate-limit bucket: the token for account keys, the user for user keys (FACTS §2.7). */
  bucket: string;
}

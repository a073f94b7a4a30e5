/** The subset of PagerDuty REST v2 shapes the product reads (AS components/schemas). */
export interface PdReference {
  id: string;
  type: string;
  summary?: string;
  self?: string | null;
  html_url?: string | null;
}

export interface PdIncident {
  id: string;
  type: 'incident';
  summary?: string;
  incident_number: number;
  title: string;
  status: 'triggered' | 'acknowledged' | 'resolved';
  urgency: 'high' | 'low';
  incident_key?: string | null;
  created_at: string;
  updated_at?: string;
  html_url?: string;
  service: PdReference;
  assignments: { at: string; assignee: PdReference }[];
  escalation_policy?: PdReference | null;
  priority?: (PdReference & { name?: string }) | null;
  last_status_change_at?: string;
}

export interface PdUser {
  id: string;
  type: 'user';
  name: string;
  email: string;
  summary?: string;
}

export interface PdOncall {
  user: PdReference;
  schedule: PdReference | null;
  escalation_policy: PdReference;
  escalation_level: number;
  start: string | null;
  end: string | null;
}

export interface PdWebhookSubscription {
  id: string;
  type: 'webhook_subscription';
  active: boolean;
  description?: string;
  events: string[];
  filter: { type: string; id?: string };
  delivery_method: { type: 'http_delivery_method'; url: string; secret?: string | null; temporarily_disabled?: boolean };
}

export interface PdPriority {
  id: string;
  type: 'priority';
  name: string;
  summary?: string;
}

export interface CreateIncidentBody {
  type: 'incident';
  title: string;
  service: { id: string; type: 'service_reference' };
  urgency?: 'high' | 'low';
  priority?: { id: string; type: 'priority_reference' };
  body?: { type: 'incident_body'; details: string };
  incident_key?: string;
  assignments?: { assignee: { id: string; type: 'user_reference' } }[];
  escalation_policy?: { id: string; type: 'escalation_policy_reference' };
}

export interface UpdateIncidentBody {
  type: 'incident' | 'incident_reference';
  status?: 'triggered' | 'acknowledged' | 'resolved';
  title?: string;
  urgency?: 'high' | 'low';
  priority?: { id: string; type: 'priority_reference' } | null;
  assignments?: { assignee: { id: string; type: 'user_reference' } }[];
  escalation_policy?: { id: string; type: 'escalation_policy_reference' };
  escalation_level?: number;
}

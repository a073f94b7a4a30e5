/** The integration API's JSON (snake_case, as integration-config serves it). */
export interface SecretView {
  set: boolean;
  last4: string | null;
}

export interface IntegrationView {
  id: string;
  organization_id: string;
  slug: string;
  name: string;
  integration_type: string;
  base_url: string;
  sync_direction: string;
  enabled: boolean;
  conflict_strategy: string;
  sync_escalations: boolean;
  rate_limit: number;
  backoff_multiplier: number;
  reconcile_interval_seconds: number;
  reconcile_budget_percent: number;
  from_email: string | null;
  default_service_id: string | null;
  priority_mapping: Record<string, string>;
  unmapped_services?: string;
  default_incident_type?: string | null;
  credentials: { token: SecretView };
  webhook_secrets: { id: string; last4: string; created_at: string }[];
  webhook_subscription_id: string | null;
  created_at: string;
  updated_at: string;
  version: number;
  /** `<PUBLIC_BASE_URL>/api/v1/webhooks/<id>`: the URL to paste into PagerDuty. */
  webhook_url?: string;
  /** What is still missing, each with the command that adds it. */
  next_steps?: { missing: string; message: string; command: string }[];
}

export interface FieldOwnershipView {
  field: string;
  owner: 'platform' | 'external';
  priority: number;
  /** The owner's value is enforced (a non-owner's edit is set back). */
  authoritative?: boolean;
  is_default?: boolean;
  /** Why the rule cannot take effect yet, with the command that enables it. */
  warnings?: string[];
}

export interface ServiceMappingView {
  pd_service_id: string;
  incident_type: string;
  created_at?: string;
}

export interface UserMappingView {
  email: string;
  pd_user_id: string;
  created_at?: string;
}

export interface ConnectionCheckView {
  name: string;
  ok: boolean;
  /** A passing check that still needs attention (e.g. from_email not set). */
  warning?: boolean;
  latency_ms: number | null;
  detail: string;
}

export interface ConnectionTestView {
  ok: boolean;
  integration_id: string;
  checks: ConnectionCheckView[];
}

export interface WebhookSelfTestView {
  integration_id: string;
  result: 'pass' | 'fail';
  secrets_checked: number;
  checks: { name: string; passed: boolean; detail: string }[];
}

export interface WebhookSubscriptionView {
  id: string;
  url: string;
  active: boolean;
  events: string[];
  secret_stored: boolean;
}

/** URL path of one integration, by id or slug. */
export const integrationPath = (ref: string, sub = ''): string => `/api/v1/integrations/${encodeURIComponent(ref)}${sub}`;

import { FieldOwnershipRuleEntity } from './entities/field-ownership-rule.entity';
import { IntegrationEntity } from './entities/integration.entity';
import { ServiceMappingEntity } from './entities/service-mapping.entity';
import { UserMappingEntity } from './entities/user-mapping.entity';
import { WebhookSecretEntity } from './entities/webhook-secret.entity';
import type { NextStep } from './setup-guidance';
import { DEFAULT_FIELD_OWNERSHIP, FieldOwner, SYNC_FIELDS, SyncField } from './integration.values';

/** The public JSON of an integration: snake_case; secrets only as "set" + last four characters. */
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
  bot_user_id: string | null;
  default_service_id: string | null;
  priority_mapping: Record<string, string>;
  unmapped_services: string;
  default_incident_type: string | null;
  credentials: { token: { set: boolean; last4: string | null } };
  webhook_secrets: WebhookSecretView[];
  webhook_subscription_id: string | null;
  created_at: string;
  updated_at: string;
  version: number;
  /** Where PagerDuty must deliver webhooks: `<PUBLIC_BASE_URL>/api/v1/webhooks/<id>`. */
  webhook_url?: string;
  /** On create, update and get: each missing piece with the command that adds it. */
  next_steps?: NextStep[];
}

export interface WebhookSecretView {
  id: string;
  last4: string;
  created_at: string;
}

export interface FieldOwnershipView {
  field: SyncField;
  owner: FieldOwner;
  priority: number;
  /** true: the owner's value is enforced; false: ownership only decides between concurrent edits. */
  authoritative: boolean;
  is_default: boolean;
}

export const webhookSecretView = (s: WebhookSecretEntity): WebhookSecretView => ({ id: s.id, last4: s.last4, created_at: s.createdAt.toISOString() });

export function integrationView(i: IntegrationEntity, secrets: WebhookSecretEntity[]): IntegrationView {
  return {
    id: i.id,
    organization_id: i.organizationId,
    slug: i.slug,
    name: i.name,
    integration_type: i.integrationType,
    base_url: i.baseUrl,
    sync_direction: i.syncDirection,
    enabled: i.enabled,
    conflict_strategy: i.conflictStrategy,
    sync_escalations: i.syncEscalations,
    rate_limit: i.rateLimit,
    backoff_multiplier: i.backoffMultiplier,
    reconcile_interval_seconds: i.reconcileIntervalSeconds,
    reconcile_budget_percent: i.reconcileBudgetPercent,
    from_email: i.fromEmail,
    bot_user_id: i.botUserId,
    default_service_id: i.defaultServiceId,
    priority_mapping: i.priorityMapping,
    unmapped_services: i.unmappedServices,
    default_incident_type: i.defaultIncidentType,
    credentials: { token: { set: true, last4: i.tokenLast4 } },
    webhook_secrets: secrets.map(webhookSecretView),
    webhook_subscription_id: i.webhookSubscriptionId,
    created_at: i.createdAt.toISOString(),
    updated_at: i.updatedAt.toISOString(),
    version: i.version,
  };
}

/** Every sync field with its effective owner: the explicit rule, else the architecture default. */
export function effectiveFieldOwnership(rules: FieldOwnershipRuleEntity[]): FieldOwnershipView[] {
  return SYNC_FIELDS.map((field) => {
    const rule = rules.find((r) => r.field === field);
    return rule
      ? { field, owner: rule.owner, priority: rule.priority, authoritative: rule.authoritative, is_default: false }
      : { field, owner: DEFAULT_FIELD_OWNERSHIP[field].owner, priority: DEFAULT_FIELD_OWNERSHIP[field].priority, authoritative: false, is_default: true };
  });
}

export const serviceMappingView = (m: ServiceMappingEntity): { pd_service_id: string; incident_type: string; created_at: string } => ({
  pd_service_id: m.pdServiceId, incident_type: m.incidentType, created_at: m.createdAt.toISOString(),
});

export const userMappingView = (m: UserMappingEntity): { email: string; pd_user_id: string; created_at: string } => ({
  email: m.email, pd_user_id: m.pdUserId, created_at: m.createdAt.toISOString(),
});

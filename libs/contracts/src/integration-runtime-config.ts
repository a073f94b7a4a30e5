import type { ConflictStrategy, FieldOwner, SyncDirection, UnmappedServices } from './integration.vocabulary';
import type { Severity, SyncField } from './platform-incident.values';

// The internal HTTP contract between integration-config and the services that read
// integrations (libs/integration-config-client re-exports it); kept here so libs/testing's
// stand-in can speak it without depending on the client.

/**
 * What services need to run one integration, as integration-config serves it on its
 * internal API to an exact lookup of ONE integration (`GET /internal/v1/integrations/:id`,
 * `GET /internal/v1/organizations/:org/integrations/:ref`). Secrets are decrypted here and
 * only here; they travel over the internal network, never over Kafka, never to API callers,
 * and never in a list.
 */
export interface IntegrationRuntimeConfig {
  id: string;
  organizationId: string;
  slug: string;
  name: string;
  type: 'pagerduty';
  baseUrl: string;
  token: string;
  /** Every active signing secret, newest first (several during rotation). */
  webhookSecrets: string[];
  /** The PagerDuty user our writes act as (`From` header). */
  fromEmail: string | null;
  /** PagerDuty user id of that user: webhooks whose agent is this id are our echoes. */
  botUserId: string | null;
  syncDirection: SyncDirection;
  enabled: boolean;
  conflictStrategy: ConflictStrategy;
  syncEscalations: boolean;
  rateLimitPerMinute: number;
  backoffMultiplier: number;
  /** Drift reconciliation: a pass every this many seconds (issue #14). */
  reconcileIntervalSeconds: number;
  /** Share of `rateLimitPerMinute` reconciliation reads may use, in percent. */
  reconcileBudgetPercent: number;
  /** PagerDuty priority (id or name, e.g. "P1") → platform severity. */
  priorityMapping: Record<string, Severity>;
  defaultServiceId: string | null;
  /** incident.triggered from a PagerDuty service with no service mapping: create a platform incident (default) or ignore it. */
  unmappedServices: UnmappedServices;
  /** Incident type of a platform incident created from an unmapped service; null = unset. */
  defaultIncidentType: string | null;
  /** `authoritative`: the owner's value is enforced (a non-owner's edit is set back); false: ownership breaks ties only. */
  fieldOwnership: { field: SyncField; owner: FieldOwner; priority: number; authoritative: boolean }[];
  serviceMappings: { pdServiceId: string; incidentType: string }[];
  /** Explicit overrides; other users match by email through PagerDuty's user list. */
  userMappings: { email: string; pdUserId: string }[];
  version: number;
  updatedAt: string;
}

/**
 * One row of `GET /internal/v1/integrations?organization_id=`: enough to know which
 * integrations an organization has, and nothing secret. A caller that needs the token or the
 * webhook secrets reads that one integration by id (IntegrationLookup does).
 */
export type IntegrationSummary = Pick<IntegrationRuntimeConfig, 'id' | 'organizationId' | 'slug' | 'name' | 'type' | 'syncDirection' | 'enabled' | 'version' | 'updatedAt'>;

/** The fields of a summary, for servers that build one (and tests that check nothing else leaks). */
export const INTEGRATION_SUMMARY_FIELDS = ['id', 'organizationId', 'slug', 'name', 'type', 'syncDirection', 'enabled', 'version', 'updatedAt'] as const satisfies readonly (keyof IntegrationSummary)[];

import { Severity, SyncField } from '@incident-sync/contracts';

export type SyncDirection = 'none' | 'inbound' | 'outbound' | 'bidirectional';
export type ConflictStrategy = 'last-write-wins' | 'ownership-priority' | 'manual-review';

/**
 * What services need to run one integration, as integration-config serves it on its
 * internal API (`GET /internal/v1/integrations/:id`). Secrets are decrypted here and only
 * here; they travel over the internal network, never over Kafka and never to API callers.
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
  /** PagerDuty priority (id or name, e.g. "P1") → platform severity. */
  priorityMapping: Record<string, Severity>;
  defaultServiceId: string | null;
  fieldOwnership: { field: SyncField; owner: 'platform' | 'external'; priority: number }[];
  serviceMappings: { pdServiceId: string; incidentType: string }[];
  /** Explicit overrides; other users match by email through PagerDuty's user list. */
  userMappings: { email: string; pdUserId: string }[];
  version: number;
  updatedAt: string;
}

import { SEVERITIES, Severity, SYNC_FIELDS, SyncField } from '@incident-sync/contracts';

/**
 * Integration types the service accepts. The model is type-neutral (base_url, credentials,
 * mappings), so servicenow and jira join by adding their name here and a client for `test`.
 */
export const INTEGRATION_TYPES = ['pagerduty'] as const;
export type IntegrationType = (typeof INTEGRATION_TYPES)[number];

export const SYNC_DIRECTIONS = ['none', 'inbound', 'outbound', 'bidirectional'] as const;
export type SyncDirection = (typeof SYNC_DIRECTIONS)[number];

export const CONFLICT_STRATEGIES = ['last-write-wins', 'ownership-priority', 'manual-review'] as const;
export type ConflictStrategy = (typeof CONFLICT_STRATEGIES)[number];

export const UNMAPPED_SERVICES = ['create', 'ignore'] as const;
export type UnmappedServices = (typeof UNMAPPED_SERVICES)[number];

export const FIELD_OWNERS = ['platform', 'external'] as const;
export type FieldOwner = (typeof FIELD_OWNERS)[number];

export { SEVERITIES, SYNC_FIELDS };
export type { Severity, SyncField };

/** ARCHITECTURE §3: platform owns what people write; PagerDuty owns who is paged and how. */
export const DEFAULT_FIELD_OWNERSHIP: Readonly<Record<SyncField, { owner: FieldOwner; priority: number }>> = {
  title: { owner: 'platform', priority: 0 },
  description: { owner: 'platform', priority: 0 },
  severity: { owner: 'platform', priority: 0 },
  status: { owner: 'platform', priority: 0 },
  assigned_to: { owner: 'external', priority: 0 },
  escalation_policy: { owner: 'external', priority: 0 },
};

export const DEFAULT_PRIORITY_MAPPING: Readonly<Record<string, Severity>> = { P1: 'SEV-1', P2: 'SEV-2', P3: 'SEV-3', P4: 'SEV-4', P5: 'SEV-4' };

export const DEFAULTS = {
  syncDirection: 'bidirectional' as SyncDirection,
  enabled: true,
  conflictStrategy: 'ownership-priority' as ConflictStrategy,
  syncEscalations: false,
  rateLimitPerMinute: 120,
  backoffMultiplier: 2,
  unmappedServices: 'create' as UnmappedServices,
  reconcileIntervalSeconds: 300,
  reconcileBudgetPercent: 10,
};

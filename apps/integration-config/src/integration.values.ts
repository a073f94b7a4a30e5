import {
  CONFLICT_STRATEGIES, ConflictStrategy, DEFAULT_FIELD_OWNERSHIP, FIELD_OWNERS, FieldOwner, SEVERITIES, Severity, SYNC_DIRECTIONS, SYNC_FIELDS,
  SyncDirection, SyncField, UNMAPPED_SERVICES, UnmappedServices,
} from '@incident-sync/contracts';

/**
 * Integration types the service accepts. The model is type-neutral (base_url, credentials,
 * mappings), so servicenow and jira join by adding their name here and a client for `test`.
 */
export const INTEGRATION_TYPES = ['pagerduty'] as const;
export type IntegrationType = (typeof INTEGRATION_TYPES)[number];

export { CONFLICT_STRATEGIES, DEFAULT_FIELD_OWNERSHIP, FIELD_OWNERS, SEVERITIES, SYNC_DIRECTIONS, SYNC_FIELDS, UNMAPPED_SERVICES };
export type { ConflictStrategy, FieldOwner, Severity, SyncDirection, SyncField, UnmappedServices };

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

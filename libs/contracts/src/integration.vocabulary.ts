import type { SyncField } from './platform-incident.values';

/**
 * The integration settings' vocabulary, defined once: integration-config validates with it, the
 * services and the CLI read it. libs/sync-domain keeps its own copy because it imports nothing
 * (it must stay pure); apps/sync-engine/src/vocabulary.spec.ts fails when the two differ.
 */
export const SYNC_DIRECTIONS = ['none', 'inbound', 'outbound', 'bidirectional'] as const;
export type SyncDirection = (typeof SYNC_DIRECTIONS)[number];

export const CONFLICT_STRATEGIES = ['last-write-wins', 'ownership-priority', 'manual-review'] as const;
export type ConflictStrategy = (typeof CONFLICT_STRATEGIES)[number];

export const UNMAPPED_SERVICES = ['create', 'ignore'] as const;
export type UnmappedServices = (typeof UNMAPPED_SERVICES)[number];

export const FIELD_OWNERS = ['platform', 'external'] as const;
export type FieldOwner = (typeof FIELD_OWNERS)[number];

/**
 * ARCHITECTURE §3: the platform owns what people write; PagerDuty owns who is paged and how.
 * Priority 0: any explicit rule of another integration outranks a default.
 */
export const DEFAULT_FIELD_OWNERSHIP: Readonly<Record<SyncField, { owner: FieldOwner; priority: number }>> = {
  title: { owner: 'platform', priority: 0 },
  description: { owner: 'platform', priority: 0 },
  severity: { owner: 'platform', priority: 0 },
  status: { owner: 'platform', priority: 0 },
  assigned_to: { owner: 'external', priority: 0 },
  escalation_policy: { owner: 'external', priority: 0 },
};

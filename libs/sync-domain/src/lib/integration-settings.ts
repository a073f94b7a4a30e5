import type { Severity, Side, SyncField } from './sync-field.types';

export type SyncDirection = 'none' | 'inbound' | 'outbound' | 'bidirectional';
export type ConflictStrategy = 'last-write-wins' | 'ownership-priority' | 'manual-review';

/**
 * Who owns a platform field, and how strongly (higher wins across integrations).
 * `authoritative`: the owner's value is enforced. A non-owner's edit is set back to the owner's
 * value (README §7.4), the one deliberate exception to "never overwrite a newer edit". Without
 * it (the default) ownership only decides between concurrent edits.
 */
export interface FieldOwnershipRule {
  owner: Side;
  priority: number;
  authoritative?: boolean;
}
export type FieldOwnership = Record<SyncField, FieldOwnershipRule>;

/**
 * PagerDuty priority → platform severity. Keys are PagerDuty priority names ("P1") or ids
 * ("PSO75BM"); inbound events are looked up by id first, then by name. Several priorities
 * may map to one severity; outbound, the smallest key (by plain string order) is written,
 * so the choice does not depend on JSON key order (Postgres JSONB reorders keys).
 */
export type PriorityMapping = Readonly<Record<string, Severity>>;

/** Email ↔ PagerDuty user id, both ways. Emails are matched case-insensitively. */
export interface UserMapping {
  emailToPagerDuty: Readonly<Record<string, string>>;
  pagerDutyToEmail: Readonly<Record<string, string>>;
}

export interface IntegrationSettings {
  integrationId: string;
  direction: SyncDirection;
  /** false pauses the integration: events are recorded, nothing is written. */
  enabled: boolean;
  conflictStrategy: ConflictStrategy;
  /** Missing fields fall back to DEFAULT_FIELD_OWNERSHIP. */
  fieldOwnership?: Partial<FieldOwnership>;
  priorityMapping: PriorityMapping;
  userMapping: UserMapping;
  /** PagerDuty user id our writes are made as (the `From` user). Strongly recommended. */
  botUserId?: string | null;
  /** false: escalation_policy is not synced and `incident.escalated` adds no timeline entry. */
  syncEscalations: boolean;
}

/**
 * Default owners from the architecture guide §3, priority 0 as integration-config serves them
 * (libs/contracts integration.vocabulary.ts; apps/sync-engine/src/vocabulary.spec.ts compares).
 */
export const DEFAULT_FIELD_OWNERSHIP: FieldOwnership = {
  title: { owner: 'platform', priority: 0 },
  description: { owner: 'platform', priority: 0 },
  severity: { owner: 'platform', priority: 0 },
  status: { owner: 'platform', priority: 0 },
  assigned_to: { owner: 'external', priority: 0 },
  escalation_policy: { owner: 'external', priority: 0 },
};

export function ownershipOf(settings: IntegrationSettings, field: SyncField): FieldOwnershipRule {
  return settings.fieldOwnership?.[field] ?? DEFAULT_FIELD_OWNERSHIP[field];
}

/** Builds a two-way user mapping from pairs; the first pair wins on duplicates. */
export function userMappingFromPairs(
  pairs: ReadonlyArray<{ email: string; pagerDutyUserId: string }>,
): UserMapping {
  const emailToPagerDuty: Record<string, string> = {};
  const pagerDutyToEmail: Record<string, string> = {};
  for (const { email, pagerDutyUserId } of pairs) {
    const key = email.toLowerCase();
    if (!(key in emailToPagerDuty)) emailToPagerDuty[key] = pagerDutyUserId;
    if (!(pagerDutyUserId in pagerDutyToEmail)) pagerDutyToEmail[pagerDutyUserId] = email;
  }
  return { emailToPagerDuty, pagerDutyToEmail };
}

/** Which way changes may flow right now. */
export interface SyncFlow {
  /** PagerDuty → platform writes allowed. */
  inbound: boolean;
  /** Platform → PagerDuty writes allowed. */
  outbound: boolean;
}

export function syncFlow(settings: IntegrationSettings): SyncFlow {
  if (!settings.enabled) return { inbound: false, outbound: false };
  switch (settings.direction) {
    case 'none':
      return { inbound: false, outbound: false };
    case 'inbound':
      return { inbound: true, outbound: false };
    case 'outbound':
      return { inbound: false, outbound: true };
    case 'bidirectional':
      return { inbound: true, outbound: true };
  }
}

/** Whether changes made on `side` are propagated to the other side. */
export function flowsFrom(flow: SyncFlow, side: Side): boolean {
  return side === 'platform' ? flow.outbound : flow.inbound;
}

/** Whether we may write to `side`. */
export function writableSide(flow: SyncFlow, side: Side): boolean {
  return side === 'platform' ? flow.inbound : flow.outbound;
}

export function isFieldSynced(settings: IntegrationSettings, field: SyncField): boolean {
  return field !== 'escalation_policy' || settings.syncEscalations;
}

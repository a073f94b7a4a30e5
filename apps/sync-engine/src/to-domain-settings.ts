import type { IntegrationRuntimeConfig } from '@incident-sync/integration-config-client';
import {
  DEFAULT_FIELD_OWNERSHIP,
  userMappingFromPairs,
  type FieldOwnership,
  type IntegrationSettings,
  type UnmappedServicePolicy,
} from '@incident-sync/sync-domain';

/** A user pair learned from PagerDuty (GET /users) or configured as an override. */
export interface UserPair {
  email: string;
  pagerDutyUserId: string;
}

/**
 * The sync-domain view of an integration. Configured user mappings are overrides and come
 * first (the first pair wins); pairs looked up in PagerDuty for this decision follow.
 */
export function toIntegrationSettings(config: IntegrationRuntimeConfig, resolvedUsers: readonly UserPair[] = []): IntegrationSettings {
  const fieldOwnership: FieldOwnership = { ...DEFAULT_FIELD_OWNERSHIP };
  for (const rule of config.fieldOwnership) {
    // A config served before authoritative ownership existed has no flag: ties only.
    fieldOwnership[rule.field] = { owner: rule.owner, priority: rule.priority, ...(rule.authoritative === true ? { authoritative: true } : {}) };
  }
  const overrides = config.userMappings.map((m) => ({ email: m.email, pagerDutyUserId: m.pdUserId }));
  return {
    integrationId: config.id,
    direction: config.syncDirection,
    enabled: config.enabled,
    conflictStrategy: config.conflictStrategy,
    fieldOwnership,
    priorityMapping: { ...config.priorityMapping },
    userMapping: userMappingFromPairs([...overrides, ...resolvedUsers]),
    botUserId: config.botUserId,
    syncEscalations: config.syncEscalations,
  };
}

/** The PagerDuty service a new platform incident of `incidentType` is created in, or null. */
export function pagerDutyServiceFor(config: IntegrationRuntimeConfig, incidentType: string | null): string | null {
  if (incidentType !== null) {
    const mapped = config.serviceMappings.find((m) => m.incidentType === incidentType);
    if (mapped) return mapped.pdServiceId;
  }
  return config.defaultServiceId;
}

/** Where a new platform incident goes in PagerDuty, or why it goes nowhere. */
export type PagerDutyCreateTarget = { serviceId: string; reason: null } | { serviceId: null; reason: string };

/**
 * The service rule of every platform → PagerDuty create: live creates (outbound-sync.service.ts)
 * and the outbound backfill (backfill.service.ts) both ask this, so an incident the backfill
 * reports as unmapped is exactly one a live create would not have made.
 */
export function pagerDutyCreateTarget(config: IntegrationRuntimeConfig, incidentType: string | null): PagerDutyCreateTarget {
  const serviceId = pagerDutyServiceFor(config, incidentType);
  if (serviceId !== null) return { serviceId, reason: null };
  return { serviceId: null, reason: `No PagerDuty incident is created: incident type ${incidentType ?? '(none)'} maps to no PagerDuty service and the integration has no default service.` };
}

/** PagerDuty service id → platform incident type (planCreateOnPlatform's ServiceMapping). */
export function serviceMappingOf(config: IntegrationRuntimeConfig): Record<string, string> {
  const mapping: Record<string, string> = {};
  for (const m of config.serviceMappings) mapping[m.pdServiceId] = m.incidentType;
  return mapping;
}

/** What a trigger from a service serviceMappingOf does not name does (integration setting unmapped_services). */
export function unmappedServicePolicyOf(config: IntegrationRuntimeConfig): UnmappedServicePolicy {
  // Absent in a config served before the setting existed: create, the documented default.
  return { action: config.unmappedServices === 'ignore' ? 'ignore' : 'create', incidentType: config.defaultIncidentType ?? null };
}

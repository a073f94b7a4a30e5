import { PlatformStatus, Severity } from '@incident-sync/contracts';

/**
 * The fields of a platform incident that people and the sync edit, keyed by the sync's
 * (snake_case) field names so one name is used in the REST API, in `changes` of
 * platform.incident.changed and in platform.incident.commands fields/baseValues.
 * `escalation_policy` is the policy id; its display name travels as `escalation_policy_name`.
 */
export interface IncidentFieldValues {
  title: string;
  description: string | null;
  severity: Severity;
  status: PlatformStatus;
  assigned_to: string | null;
  escalation_policy: string | null;
  escalation_policy_name: string | null;
  incident_type: string | null;
}

export type IncidentField = keyof IncidentFieldValues;

/** Order in which fields appear in `changes` and in the timeline. */
export const INCIDENT_FIELDS: readonly IncidentField[] = [
  'title', 'description', 'severity', 'status', 'assigned_to', 'escalation_policy', 'escalation_policy_name', 'incident_type',
];

export interface FieldDiff {
  field: IncidentField;
  oldValue: string | null;
  newValue: string | null;
}

/** Fields of `patch` that are present (not undefined) and differ from `current`, in INCIDENT_FIELDS order. */
export function diffFields(current: IncidentFieldValues, patch: Partial<IncidentFieldValues>): FieldDiff[] {
  const diffs: FieldDiff[] = [];
  for (const field of INCIDENT_FIELDS) {
    const next = patch[field];
    if (next === undefined) continue;
    const old = current[field];
    if (next !== old) diffs.push({ field, oldValue: old, newValue: next });
  }
  return diffs;
}

/** `current` with `patch` applied (undefined = unchanged, null = cleared). */
export function applyFields(current: IncidentFieldValues, patch: Partial<IncidentFieldValues>): IncidentFieldValues {
  const next: IncidentFieldValues = { ...current };
  for (const { field, newValue } of diffFields(current, patch)) {
    (next as unknown as Record<IncidentField, string | null>)[field] = newValue;
  }
  return next;
}

import type { PriorityMapping } from './integration-settings';
import type { Severity } from './sync-field.types';

/** Severity a PagerDuty priority key maps to; undefined for null or unmapped priorities. */
export function severityForPriority(
  priority: string | null,
  mapping: PriorityMapping,
): Severity | undefined {
  if (priority === null) return undefined;
  return Object.prototype.hasOwnProperty.call(mapping, priority) ? mapping[priority] : undefined;
}

/**
 * The priority key written to PagerDuty for a severity: the smallest key (plain string
 * order) that maps to it, or null when none does. Deterministic whatever the key order of
 * the stored mapping.
 */
export function priorityForSeverity(severity: Severity, mapping: PriorityMapping): string | null {
  const keys = Object.keys(mapping)
    .filter((key) => mapping[key] === severity)
    .sort();
  return keys[0] ?? null;
}

/**
 * Turns a PagerDuty priority reference from a webhook (`{id, summary}`) into the key used in
 * the mapping: its id if the mapping has it, else its name (summary), else the name (or id)
 * as an unmapped key. Null stays null.
 */
export function priorityKeyFromReference(
  reference: { id?: string | null; summary?: string | null; name?: string | null } | null,
  mapping: PriorityMapping,
): string | null {
  if (reference === null) return null;
  const id = reference.id ?? null;
  const name = reference.name ?? reference.summary ?? null;
  if (id !== null && severityForPriority(id, mapping) !== undefined) return id;
  if (name !== null && severityForPriority(name, mapping) !== undefined) return name;
  return name ?? id;
}

import type { Severity, Urgency } from './sync-field.types';

/** Architecture guide §3: SEV-1, SEV-2 → high; SEV-3, SEV-4 → low. */
export const SEVERITY_TO_URGENCY: Readonly<Record<Severity, Urgency>> = {
  'SEV-1': 'high',
  'SEV-2': 'high',
  'SEV-3': 'low',
  'SEV-4': 'low',
};

/** The severity an urgency maps to when the current severity does not fit it. */
export const URGENCY_TO_NEAREST_SEVERITY: Readonly<Record<Urgency, Severity>> = {
  high: 'SEV-2',
  low: 'SEV-3',
};

export function urgencyForSeverity(severity: Severity): Urgency {
  return SEVERITY_TO_URGENCY[severity];
}

/**
 * Inbound urgency keeps the current severity when it already maps to that urgency, else
 * takes the nearest one (high → SEV-2, low → SEV-3).
 */
export function severityForUrgency(urgency: Urgency, current: Severity | null): Severity {
  if (current !== null && SEVERITY_TO_URGENCY[current] === urgency) return current;
  return URGENCY_TO_NEAREST_SEVERITY[urgency];
}

import {
  PLATFORM_STATUSES,
  SEVERITIES,
  type PlatformFieldValues,
  type SyncField,
} from './sync-field.types';

/** Runtime check that `value` is a valid platform value for `field` (for operator input). */
export function isPlatformValue<F extends SyncField>(field: F, value: unknown): value is PlatformFieldValues[F] {
  switch (field) {
    case 'title':
      return typeof value === 'string' && value.trim() !== '';
    case 'description':
    case 'assigned_to':
    case 'escalation_policy':
      return value === null || typeof value === 'string';
    case 'severity':
      return (SEVERITIES as readonly unknown[]).includes(value);
    case 'status':
      return (PLATFORM_STATUSES as readonly unknown[]).includes(value);
    default:
      return false;
  }
}

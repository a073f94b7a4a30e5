import type { EpochMs, Side } from './sync-field.types';

/** Operator-facing wording shared by decision reasons. */
export function sideName(side: Side): string {
  return side === 'platform' ? 'the platform' : 'PagerDuty';
}

export function SideName(side: Side): string {
  return side === 'platform' ? 'The platform' : 'PagerDuty';
}

export function formatTime(at: EpochMs): string {
  return Number.isFinite(at) ? new Date(at).toISOString() : String(at);
}

export function fieldLabel(field: string): string {
  return field.replace(/_/g, ' ');
}

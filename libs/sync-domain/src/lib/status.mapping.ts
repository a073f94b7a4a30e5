import type { PagerDutyStatus, PlatformStatus } from './sync-field.types';

/** Architecture guide §3: open↔triggered, mitigated↔acknowledged, resolved/closed → resolved. */
export const PLATFORM_TO_PAGERDUTY_STATUS: Readonly<Record<PlatformStatus, PagerDutyStatus>> = {
  open: 'triggered',
  mitigated: 'acknowledged',
  resolved: 'resolved',
  closed: 'resolved',
};

export const PAGERDUTY_TO_PLATFORM_STATUS: Readonly<Record<PagerDutyStatus, PlatformStatus>> = {
  triggered: 'open',
  acknowledged: 'mitigated',
  resolved: 'resolved',
};

export function pagerDutyStatusFor(status: PlatformStatus): PagerDutyStatus {
  return PLATFORM_TO_PAGERDUTY_STATUS[status];
}

/**
 * PagerDuty status → platform status. `resolved` keeps an incident that is already `closed`
 * closed (closed is the platform's stronger form of resolved). Reopened and unacknowledged
 * incidents report `triggered`, which maps to open.
 */
export function platformStatusFor(
  status: PagerDutyStatus,
  current: PlatformStatus | null,
): PlatformStatus {
  if (status === 'resolved' && current === 'closed') return 'closed';
  return PAGERDUTY_TO_PLATFORM_STATUS[status];
}

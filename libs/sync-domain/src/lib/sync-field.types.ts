/**
 * The six platform incident fields this library keeps in sync, and the values each side
 * holds for them. Platform values use the platform's canonical names; "external" values use
 * PagerDuty's own terms, because several mappings are lossy (closed and resolved both become
 * PagerDuty `resolved`; SEV-1 and SEV-2 both become `high`) and a decision must know what
 * PagerDuty really shows.
 *
 * Time is always epoch milliseconds (`EpochMs`). Convert ISO strings at the edge with
 * `Date.parse`; PagerDuty's `occurred_at` has millisecond precision.
 */
export type EpochMs = number;

export const SYNC_FIELDS = [
  'title',
  'description',
  'severity',
  'status',
  'assigned_to',
  'escalation_policy',
] as const;
export type SyncField = (typeof SYNC_FIELDS)[number];

/** The two systems a link joins. `external` is PagerDuty. */
export type Side = 'platform' | 'external';
export const SIDES: readonly Side[] = ['platform', 'external'];

export const SEVERITIES = ['SEV-1', 'SEV-2', 'SEV-3', 'SEV-4'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const PLATFORM_STATUSES = ['open', 'mitigated', 'resolved', 'closed'] as const;
export type PlatformStatus = (typeof PLATFORM_STATUSES)[number];

export const PAGERDUTY_STATUSES = ['triggered', 'acknowledged', 'resolved'] as const;
export type PagerDutyStatus = (typeof PAGERDUTY_STATUSES)[number];

export const URGENCIES = ['high', 'low'] as const;
export type Urgency = (typeof URGENCIES)[number];

/** Field values as the Incidents platform stores them. */
export interface PlatformFieldValues {
  title: string;
  description: string | null;
  severity: Severity;
  status: PlatformStatus;
  /** Email of the assignee, or null when unassigned. */
  assigned_to: string | null;
  /** PagerDuty escalation policy id, or null. */
  escalation_policy: string | null;
}

/**
 * PagerDuty's severity is two fields. `priority` is the key used in the integration's
 * priority mapping (a priority name such as "P1", or a priority id), or null when the
 * incident has no priority.
 */
export interface PagerDutySeverity {
  urgency: Urgency;
  priority: string | null;
}

/** Field values as PagerDuty holds them (PagerDuty's own terms). */
export interface ExternalFieldValues {
  title: string;
  /**
   * PagerDuty has no description field (FACTS §3.1): the description goes into `body.details`
   * at create time and later changes are posted as notes. This is the last description text
   * we put on PagerDuty; PagerDuty never reports it back.
   */
  description: string | null;
  severity: PagerDutySeverity;
  status: PagerDutyStatus;
  /** PagerDuty user id of `assignments[0].assignee`, or null. */
  assigned_to: string | null;
  /** PagerDuty escalation policy id, or null. */
  escalation_policy: string | null;
}

export type PlatformValue<F extends SyncField = SyncField> = PlatformFieldValues[F];
export type ExternalValue<F extends SyncField = SyncField> = ExternalFieldValues[F];

export function isSyncField(value: unknown): value is SyncField {
  return typeof value === 'string' && (SYNC_FIELDS as readonly string[]).includes(value);
}

export function otherSide(side: Side): Side {
  return side === 'platform' ? 'external' : 'platform';
}

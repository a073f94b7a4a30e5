/** Platform-side vocabulary shared by the incidents service, the sync-engine and the CLI. */
export const SEVERITIES = ['SEV-1', 'SEV-2', 'SEV-3', 'SEV-4'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const PLATFORM_STATUSES = ['open', 'mitigated', 'resolved', 'closed'] as const;
export type PlatformStatus = (typeof PLATFORM_STATUSES)[number];

/** Fields the sync understands, in the architecture guide's (snake_case) spelling. */
export const SYNC_FIELDS = ['title', 'description', 'severity', 'status', 'assigned_to', 'escalation_policy'] as const;
export type SyncField = (typeof SYNC_FIELDS)[number];

/** Where a platform change came from; `integration` marks writes made by the sync (echo detection). */
export const ORIGIN_TYPES = ['user', 'api', 'integration'] as const;
export type OriginType = (typeof ORIGIN_TYPES)[number];

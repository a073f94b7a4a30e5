/**
 * Every public route of the product, as the controllers declare them (kept in step by
 * public-routes.spec.ts), with what the hostile corpus needs to know: which path parameters
 * name what, the body's fields and the query's parameters. /internal/* and /health/* are not
 * public: the gateway must never reach them.
 */
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What a path parameter names; the world supplies organization A's real value for each. */
export type ParamKind = 'integration' | 'incident' | 'conflict' | 'deadLetter' | 'apiKey' | 'webhookSecret' | 'field' | 'pdServiceId' | 'email' | 'pdId';

export type FieldSpec =
  | { kind: 'string'; max: number; required?: boolean; valid?: string }
  | { kind: 'enum'; values: readonly string[]; required?: boolean }
  | { kind: 'int'; min: number; max: number }
  | { kind: 'number'; min: number; max: number }
  | { kind: 'bool' }
  | { kind: 'email'; required?: boolean }
  | { kind: 'object'; fields: Record<string, FieldSpec>; required?: boolean }
  | { kind: 'uuids' }
  | { kind: 'map'; values: readonly string[] }
  /** Accepts any JSON value (a wrong type is not a defect there). */
  | { kind: 'any' };

export interface PublicRoute {
  method: Method;
  path: string;
  params: Record<string, ParamKind>;
  body?: Record<string, FieldSpec>;
  query?: string[];
  /** Only the admin key may call it (organization keys get 401 by design). */
  adminOnly?: boolean;
  /** The public webhook delivery endpoint: authenticated by PagerDuty's signature, not a key. */
  webhook?: boolean;
}

const SEVERITIES = ['SEV-1', 'SEV-2', 'SEV-3', 'SEV-4'];
const STATUSES = ['open', 'mitigated', 'resolved', 'closed'];
const str = (max: number, extra: Partial<{ required: boolean; valid: string }> = {}): FieldSpec => ({ kind: 'string', max, ...extra });
const settings: Record<string, FieldSpec> = {
  sync_direction: { kind: 'enum', values: ['none', 'inbound', 'outbound', 'bidirectional'] },
  enabled: { kind: 'bool' },
  conflict_strategy: { kind: 'enum', values: ['last-write-wins', 'ownership-priority', 'manual-review'] },
  sync_escalations: { kind: 'bool' },
  rate_limit: { kind: 'int', min: 1, max: 100000 },
  backoff_multiplier: { kind: 'number', min: 1, max: 10 },
  reconcile_interval_seconds: { kind: 'int', min: 1, max: 86400 },
  reconcile_budget_percent: { kind: 'int', min: 1, max: 50 },
  from_email: { kind: 'email' },
  default_service_id: str(100),
  priority_mapping: { kind: 'map', values: SEVERITIES },
  unmapped_services: { kind: 'enum', values: ['create', 'ignore'] },
  default_incident_type: str(200),
};
const escalationPolicy: FieldSpec = { kind: 'object', fields: { id: str(200, { required: true, valid: 'PEP0001' }), name: str(500) } };
const incidentFields: Record<string, FieldSpec> = {
  title: str(1024, { valid: 'hostile corpus' }),
  description: str(65536),
  severity: { kind: 'enum', values: SEVERITIES },
  status: { kind: 'enum', values: STATUSES },
  assigned_to: { kind: 'email' },
  escalation_policy: escalationPolicy,
  incident_type: str(200),
};

const integration = { ref: 'integration' } as const;

export const PUBLIC_ROUTES: readonly PublicRoute[] = [
  // integration-config
  { method: 'POST', path: '/api/v1/api-keys', params: {}, adminOnly: true, body: { organization_id: str(200, { required: true }), name: str(200, { required: true }) } },
  { method: 'GET', path: '/api/v1/api-keys', params: {}, query: ['organization_id'] },
  { method: 'DELETE', path: '/api/v1/api-keys/:id', params: { id: 'apiKey' } },
  { method: 'GET', path: '/api/v1/organizations/current', params: {} },
  {
    method: 'POST', path: '/api/v1/integrations', params: {}, body: {
      organization_id: str(200), integration_type: { kind: 'enum', values: ['pagerduty'], required: true }, name: str(200, { required: true }),
      slug: str(64), base_url: str(2000, { required: true, valid: 'https://api.pagerduty.com' }),
      credentials: { kind: 'object', fields: { token: str(500, { required: true }) }, required: true }, webhook_secret: str(500), ...settings,
    },
  },
  { method: 'GET', path: '/api/v1/integrations', params: {}, query: ['integration_type', 'organization_id'] },
  { method: 'GET', path: '/api/v1/integrations/:ref', params: integration },
  { method: 'PATCH', path: '/api/v1/integrations/:ref', params: integration, body: { name: str(200), slug: str(64), base_url: str(2000), credentials: { kind: 'object', fields: { token: str(500, { required: true }) } }, ...settings } },
  { method: 'DELETE', path: '/api/v1/integrations/:ref', params: integration },
  { method: 'POST', path: '/api/v1/integrations/:ref/test', params: integration },
  { method: 'POST', path: '/api/v1/integrations/:ref/webhook-subscription', params: integration, body: { public_url: str(2000), filter_type: { kind: 'enum', values: ['account_reference', 'service_reference', 'team_reference'] }, filter_id: str(100) } },
  { method: 'GET', path: '/api/v1/integrations/:ref/field-ownership', params: integration },
  { method: 'PUT', path: '/api/v1/integrations/:ref/field-ownership/:field', params: { ref: 'integration', field: 'field' }, body: { owner: { kind: 'enum', values: ['platform', 'external'], required: true }, priority: { kind: 'int', min: -1000000, max: 1000000 } } },
  { method: 'DELETE', path: '/api/v1/integrations/:ref/field-ownership/:field', params: { ref: 'integration', field: 'field' } },
  { method: 'GET', path: '/api/v1/integrations/:ref/service-mappings', params: integration },
  { method: 'POST', path: '/api/v1/integrations/:ref/service-mappings', params: integration, body: { pd_service_id: str(100, { required: true, valid: 'PSVC009' }), incident_type: str(200, { required: true }) } },
  { method: 'DELETE', path: '/api/v1/integrations/:ref/service-mappings/:pdServiceId', params: { ref: 'integration', pdServiceId: 'pdServiceId' } },
  { method: 'GET', path: '/api/v1/integrations/:ref/user-mappings', params: integration },
  { method: 'POST', path: '/api/v1/integrations/:ref/user-mappings', params: integration, body: { email: { kind: 'email', required: true }, pd_user_id: str(100, { required: true, valid: 'PUSR009' }) } },
  { method: 'DELETE', path: '/api/v1/integrations/:ref/user-mappings/:email', params: { ref: 'integration', email: 'email' } },
  { method: 'GET', path: '/api/v1/integrations/:ref/webhook-secrets', params: integration },
  { method: 'POST', path: '/api/v1/integrations/:ref/webhook-secrets', params: integration, body: { secret: str(500, { required: true }) } },
  { method: 'DELETE', path: '/api/v1/integrations/:ref/webhook-secrets/:secretId', params: { ref: 'integration', secretId: 'webhookSecret' } },
  // incidents
  { method: 'POST', path: '/api/v1/incidents', params: {}, body: { ...incidentFields, title: str(1024, { required: true, valid: 'hostile corpus' }), severity: { kind: 'enum', values: SEVERITIES, required: true } } },
  { method: 'GET', path: '/api/v1/incidents', params: {}, query: ['status', 'severity', 'incident_type', 'assigned_to', 'updated_since', 'created_since', 'limit', 'cursor'] },
  { method: 'GET', path: '/api/v1/incidents/:id', params: { id: 'incident' } },
  { method: 'PATCH', path: '/api/v1/incidents/:id', params: { id: 'incident' }, body: { ...incidentFields, version: { kind: 'int', min: 1, max: 2 ** 31 - 1 }, reopen: { kind: 'bool' } } },
  { method: 'POST', path: '/api/v1/incidents/:id/reopen', params: { id: 'incident' } },
  { method: 'POST', path: '/api/v1/incidents/:id/notes', params: { id: 'incident' }, body: { body: str(65536, { required: true }) } },
  { method: 'GET', path: '/api/v1/incidents/:id/timeline', params: { id: 'incident' } },
  // webhook-ingress
  { method: 'POST', path: '/api/v1/webhooks/:integrationId', params: { integrationId: 'integration' }, webhook: true },
  { method: 'POST', path: '/api/v1/webhooks/:integrationId/test', params: { integrationId: 'integration' } },
  // sync-engine
  { method: 'GET', path: '/api/v1/integrations/:ref/links', params: integration, query: ['incident', 'limit'] },
  { method: 'GET', path: '/api/v1/integrations/:ref/history', params: integration, query: ['incident'] },
  { method: 'GET', path: '/api/v1/integrations/:ref/sync-status', params: integration },
  { method: 'GET', path: '/api/v1/integrations/:ref/activity', params: integration, query: ['limit'] },
  { method: 'GET', path: '/api/v1/integrations/:ref/oncall', params: integration, query: ['schedule_id'] },
  { method: 'POST', path: '/api/v1/integrations/:ref/reconcile', params: integration, body: { since: str(64, { valid: '2026-12-01T00:00:00Z' }), dry_run: { kind: 'bool' } } },
  {
    method: 'POST', path: '/api/v1/integrations/:ref/backfill', params: integration,
    body: { since: str(64, { required: true, valid: '2026-11-01T00:00:00Z' }), direction: { kind: 'enum', values: ['inbound', 'outbound', 'both'] }, dry_run: { kind: 'bool' } },
  },
  { method: 'GET', path: '/api/v1/integrations/:ref/backfill', params: integration },
  { method: 'POST', path: '/api/v1/integrations/:ref/backfill/cancel', params: integration },
  { method: 'GET', path: '/api/v1/integrations/:ref/conflicts', params: integration, query: ['status'] },
  { method: 'GET', path: '/api/v1/conflicts', params: {}, query: ['status', 'integration', 'incident'] },
  { method: 'GET', path: '/api/v1/conflicts/:id', params: { id: 'conflict' } },
  { method: 'POST', path: '/api/v1/conflicts/:id/resolve', params: { id: 'conflict' }, body: { decision: { kind: 'enum', values: ['take_platform', 'take_external', 'take_value', 'ignore'], required: true }, value: { kind: 'any' } } },
  { method: 'GET', path: '/api/v1/sync/incidents/:platformIncidentId/history', params: { platformIncidentId: 'incident' } },
  // outbound-dispatcher
  { method: 'GET', path: '/api/v1/integrations/:id/dispatcher/status', params: { id: 'integration' } },
  // dlq-manager
  { method: 'GET', path: '/api/v1/dlq', params: {}, query: ['status', 'topic', 'integration', 'limit', 'offset'] },
  { method: 'POST', path: '/api/v1/dlq/replay', params: {}, body: { ids: { kind: 'uuids' }, topic: str(2000), status: { kind: 'enum', values: ['pending', 'replayed'] }, integration: str(200), limit: { kind: 'int', min: 1, max: 500 } } },
  { method: 'GET', path: '/api/v1/dlq/:id', params: { id: 'deadLetter' } },
  { method: 'POST', path: '/api/v1/dlq/:id/replay', params: { id: 'deadLetter' } },
  { method: 'POST', path: '/api/v1/dlq/:id/discard', params: { id: 'deadLetter' } },
  { method: 'GET', path: '/api/v1/integrations/:ref/dlq', params: integration, query: ['status', 'topic', 'limit', 'offset'] },
];

/** The path of a route with each parameter replaced (values are inserted as given: encode them first). */
export function fillPath(route: PublicRoute, values: Record<string, string>): string {
  return route.path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for :${name} of ${route.method} ${route.path}`);
    return value;
  });
}

/** The route prefixes of apps/gateway/src/route-table.ts that the traversal suite starts from. */
export const ROUTE_PREFIXES = [
  '/api/v1/webhooks/{integration}', '/api/v1/webhooks/{integration}/test',
  '/api/v1/integrations', '/api/v1/integrations/{integration}',
  '/api/v1/integrations/{integration}/links', '/api/v1/integrations/{integration}/sync-status', '/api/v1/integrations/{integration}/history',
  '/api/v1/integrations/{integration}/conflicts', '/api/v1/integrations/{integration}/oncall', '/api/v1/integrations/{integration}/reconcile',
  '/api/v1/integrations/{integration}/backfill',
  '/api/v1/integrations/{integration}/dispatcher', '/api/v1/integrations/{integration}/dlq',
  '/api/v1/api-keys', '/api/v1/organizations', '/api/v1/incidents', '/api/v1/conflicts', '/api/v1/links', '/api/v1/sync', '/api/v1/dlq',
] as const;

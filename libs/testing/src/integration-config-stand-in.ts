import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { INTEGRATION_SUMMARY_FIELDS, IntegrationRuntimeConfig, IntegrationSummary, INTERNAL_HEADERS } from '@incident-sync/contracts';

/**
 * Stands in for integration-config's internal HTTP API (another service) in in-process
 * integration tests, with the same contract: `GET /internal/v1/integrations/:id` and
 * `GET /internal/v1/organizations/:org/integrations/:ref` (id or slug) answer one
 * integration with its secrets; `GET /internal/v1/integrations?organization_id=` (required)
 * answers summaries without secrets; internal token required. Kafka and Postgres are never
 * stood in for. `requests` counts every request.
 */
export class IntegrationConfigStandIn {
  readonly integrations = new Map<string, IntegrationRuntimeConfig>();
  requests = 0;
  private server: Server | null = null;

  /**
   * @param unknownStatus what an unknown id answers: 404 like integration-config, or 503 so a
   *   dispatcher reading the shared topic leaves other tests' commands queued instead of
   *   dead-lettering them.
   */
  constructor(private readonly internalToken: string, private readonly unknownStatus = 404) {}

  async start(): Promise<string> {
    const server = createServer((req, res) => this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  put(config: IntegrationRuntimeConfig): void {
    this.integrations.set(config.id, config);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    this.requests += 1;
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const notFound = (): void => send(404, { error: { code: 'NOT_FOUND', message: 'integration not found' } });
    if (req.headers[INTERNAL_HEADERS.internalToken] !== this.internalToken) return send(401, { error: { code: 'UNAUTHENTICATED', message: 'no' } });
    const url = new URL(req.url ?? '/', 'http://stand-in');
    if (url.pathname === '/internal/v1/integrations') {
      const org = url.searchParams.get('organization_id');
      if (!org) return send(400, { error: { code: 'VALIDATION_FAILED', message: 'organization_id is required', field: 'organization_id' } });
      return send(200, { data: [...this.integrations.values()].filter((c) => c.organizationId === org).map(summaryOf) });
    }
    const scoped = /^\/internal\/v1\/organizations\/([^/]+)\/integrations\/([^/]+)$/.exec(url.pathname);
    if (scoped?.[1] && scoped[2]) {
      const org = decodeURIComponent(scoped[1]);
      const ref = decodeURIComponent(scoped[2]);
      const config = [...this.integrations.values()].find((c) => c.organizationId === org && (c.id === ref.toLowerCase() || c.slug === ref));
      return config ? send(200, config) : notFound();
    }
    // Like integration-config, the single-integration route reads ids only (no slugs).
    const match = /^\/internal\/v1\/integrations\/([^/]+)$/.exec(url.pathname);
    const ref = match?.[1] ? decodeURIComponent(match[1]) : '';
    const config = this.integrations.get(ref);
    // A slug of one of ours is a definite 404 (as integration-config answers); other unknown ids get `unknownStatus`.
    if (!config && [...this.integrations.values()].some((c) => c.slug === ref)) return notFound();
    if (!config) return send(this.unknownStatus, { error: { code: this.unknownStatus === 404 ? 'NOT_FOUND' : 'DEPENDENCY_UNAVAILABLE', message: 'integration not found' } });
    return send(200, config);
  }
}

function summaryOf(config: IntegrationRuntimeConfig): IntegrationSummary {
  return Object.fromEntries(INTEGRATION_SUMMARY_FIELDS.map((k) => [k, config[k]])) as IntegrationSummary;
}

export function integrationConfig(overrides: Partial<IntegrationRuntimeConfig> & Pick<IntegrationRuntimeConfig, 'id' | 'organizationId'>): IntegrationRuntimeConfig {
  return {
    slug: overrides.id,
    name: `test ${overrides.id}`,
    type: 'pagerduty',
    baseUrl: 'http://127.0.0.1:1',
    token: 'pd-test-token',
    webhookSecrets: [],
    fromEmail: 'bot@example.com',
    botUserId: null,
    syncDirection: 'bidirectional',
    enabled: true,
    conflictStrategy: 'last-write-wins',
    syncEscalations: false,
    rateLimitPerMinute: 960,
    backoffMultiplier: 2,
    reconcileIntervalSeconds: 300,
    reconcileBudgetPercent: 10,
    priorityMapping: {},
    defaultServiceId: null,
    unmappedServices: 'create',
    defaultIncidentType: null,
    fieldOwnership: [],
    serviceMappings: [],
    userMappings: [],
    version: 1,
    updatedAt: new Date().toISOString(),
    ...overrides,
  };
}

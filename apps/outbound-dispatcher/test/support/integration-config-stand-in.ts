import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { INTERNAL_HEADERS } from '@incident-sync/contracts';
import { IntegrationRuntimeConfig } from '@incident-sync/integration-config-client';

/**
 * Stands in for integration-config's internal HTTP API (another service) until it runs in
 * the test stack: GET /internal/v1/integrations/:id, internal token required. Kafka and
 * Postgres are never stood in for.
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
    if (req.headers[INTERNAL_HEADERS.internalToken] !== this.internalToken) return send(401, { error: { code: 'UNAUTHENTICATED', message: 'no' } });
    const match = /^\/internal\/v1\/integrations\/([^/?]+)$/.exec(req.url ?? '');
    const ref = match?.[1] ? decodeURIComponent(match[1]) : undefined;
    const config = ref ? [...this.integrations.values()].find((c) => c.id === ref || c.slug === ref) : undefined;
    if (!config) return send(this.unknownStatus, { error: { code: this.unknownStatus === 404 ? 'NOT_FOUND' : 'DEPENDENCY_UNAVAILABLE', message: 'integration not found' } });
    return send(200, config);
  }
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
    priorityMapping: {},
    defaultServiceId: null,
    fieldOwnership: [],
    serviceMappings: [],
    userMappings: [],
    version: 1,
    updatedAt: new Date().toISOString(),
    ...overrides,
  };
}

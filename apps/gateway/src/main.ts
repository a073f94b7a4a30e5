import 'reflect-metadata';
import type { FastifyInstance } from 'fastify';
import { bootstrapService, loadConfig, runService } from '@incident-sync/service-runtime';
import { ApiKeyResolver } from './api-key.resolver';
import { registerApiDocs } from './api-docs';
import { GatewayEnv } from './gateway.env';
import { GatewayModule } from './gateway.module';
import { registerProxy } from './proxy';
import { registerStatusPage } from './status-page';
import { upstreamUrls } from './route-table';

runService(async () => {
  const env = loadConfig(GatewayEnv);
  await bootstrapService({
    name: 'gateway',
    module: GatewayModule.forRoot(env),
    host: env.HOST,
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    bodyParser: false,
    publicEdge: true,
    bodyLimitBytes: Number(env.GATEWAY_BODY_LIMIT_BYTES ?? 2 * 1024 * 1024),
    beforeListen: async (app) => {
      const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
      // Resolving a key is an internal route: the gateway's own call, with the internal token.
      const resolver = new ApiKeyResolver(env.INTEGRATION_CONFIG_URL, env.INTERNAL_TOKEN, env.AUTH_CACHE_TTL_MS);
      await registerProxy(fastify, {
        upstreams: upstreamUrls(env),
        resolver,
        // Forwarded public traffic carries only the gateway token, which /internal/ routes refuse.
        gatewayToken: env.GATEWAY_TOKEN,
        timeoutMs: env.UPSTREAM_TIMEOUT_MS,
      });
      // The API reference (/api/docs, /api/docs.json): public, merged from each service's part.
      registerApiDocs(fastify, { upstreams: upstreamUrls(env), internalToken: env.INTERNAL_TOKEN });
      // The status page (/status): one organization's sync health, behind its API key.
      registerStatusPage(fastify, { upstreams: upstreamUrls(env), resolver, gatewayToken: env.GATEWAY_TOKEN });
    },
  });
});

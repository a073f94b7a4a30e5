import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ensureTopics } from '@incident-sync/messaging';
import { bootstrapService, loadConfig, runService } from '@incident-sync/service-runtime';
import { IntegrationConfigEnv } from './integration-config.env';
import { IntegrationConfigModule } from './integration-config.module';

runService(async () => {
  const env = loadConfig(IntegrationConfigEnv);
  if (env.ALLOW_LOCAL_BASE_URLS) new Logger('integration-config').warn('ALLOW_LOCAL_BASE_URLS is on: http and loopback base URLs are accepted (local mode only)');
  await bootstrapService({
    name: 'integration-config',
    // NestFactory takes a DynamicModule; BootstrapOptions types it as a class (as in apps/gateway).
    module: IntegrationConfigModule.forRoot(env),
    host: env.HOST,
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    // The outbox relay publishes integration.config.changed; broker auto-creation is off.
    beforeListen: () => ensureTopics(env.KAFKA_BROKERS),
  });
});

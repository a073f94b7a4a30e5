import 'reflect-metadata';
import { connectKafkaConsumer } from '@incident-sync/messaging';
import { bootstrapService, loadConfig, runService } from '@incident-sync/service-runtime';
import { WebhookIngressEnv } from './webhook-ingress.env';
import { WebhookIngressModule } from './webhook-ingress.module';

runService(async () => {
  const env = loadConfig(WebhookIngressEnv);
  await bootstrapService({
    name: 'webhook-ingress',
    module: WebhookIngressModule.forRoot(env),
    host: env.HOST,
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    // Signatures are computed over the exact bytes PagerDuty sent (FACTS §1.4).
    rawBody: true,
    bodyLimitBytes: env.WEBHOOK_MAX_BODY_BYTES,
    beforeListen: (app) => connectKafkaConsumer(app, { brokers: env.KAFKA_BROKERS, clientId: 'webhook-ingress', groupId: env.KAFKA_GROUP_ID }),
  });
});

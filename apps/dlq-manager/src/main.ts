import 'reflect-metadata';
import { connectKafkaConsumer } from '@incident-sync/messaging';
import { bootstrapService, loadConfig, runService } from '@incident-sync/service-runtime';
import { DlqManagerEnv } from './dlq-manager.env';
import { DLQ_MANAGER_CONSUMER_GROUP, DlqManagerModule } from './dlq-manager.module';

runService(async () => {
  const env = loadConfig(DlqManagerEnv);
  await bootstrapService({
    name: 'dlq-manager',
    module: DlqManagerModule.forRoot(env),
    host: env.HOST,
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    beforeListen: (app) => connectKafkaConsumer(app, { brokers: env.KAFKA_BROKERS, clientId: 'dlq-manager', groupId: DLQ_MANAGER_CONSUMER_GROUP }),
  });
});

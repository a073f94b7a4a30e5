import 'reflect-metadata';
import { connectKafkaConsumer } from '@incident-sync/messaging';
import { bootstrapService, loadConfig, runService } from '@incident-sync/service-runtime';
import { SyncEngineEnv } from './sync-engine.env';
import { SyncEngineModule } from './sync-engine.module';

runService(async () => {
  const env = loadConfig(SyncEngineEnv);
  await bootstrapService({
    name: 'sync-engine',
    module: SyncEngineModule.forRoot(env),
    host: env.HOST,
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    beforeListen: (app) => connectKafkaConsumer(app, { brokers: env.KAFKA_BROKERS, clientId: 'sync-engine', groupId: env.KAFKA_GROUP_ID }),
  });
});

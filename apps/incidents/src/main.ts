import 'reflect-metadata';
import { connectKafkaConsumer } from '@incident-sync/messaging';
import { bootstrapService, loadConfig, runService } from '@incident-sync/service-runtime';
import { IncidentsEnv } from './incidents.env';
import { INCIDENTS_CONSUMER_GROUP, IncidentsModule } from './incidents.module';

runService(async () => {
  const env = loadConfig(IncidentsEnv);
  await bootstrapService({
    name: 'incidents',
    module: IncidentsModule.forRoot(env),
    host: env.HOST,
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    beforeListen: (app) => connectKafkaConsumer(app, { brokers: env.KAFKA_BROKERS, clientId: 'incidents', groupId: INCIDENTS_CONSUMER_GROUP }),
  });
});

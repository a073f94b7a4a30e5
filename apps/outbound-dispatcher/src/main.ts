import 'reflect-metadata';
import { connectKafkaConsumer } from '@incident-sync/messaging';
import { bootstrapService, loadConfig, runService } from '@incident-sync/service-runtime';
import { OutboundDispatcherEnv } from './outbound-dispatcher.env';
import { OutboundDispatcherModule } from './outbound-dispatcher.module';

runService(async () => {
  const env = loadConfig(OutboundDispatcherEnv);
  await bootstrapService({
    name: 'outbound-dispatcher',
    module: OutboundDispatcherModule.forRoot(env),
    host: env.HOST,
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    beforeListen: (app) => connectKafkaConsumer(app, { brokers: env.KAFKA_BROKERS, clientId: 'outbound-dispatcher', groupId: env.KAFKA_GROUP_ID }),
  });
});

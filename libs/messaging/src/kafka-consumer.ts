import { INestApplication } from '@nestjs/common';
import { MicroserviceOptions, Transport } from '@nestjs/microservices';
import { kafkaLogCreator, KAFKA_LOG_LEVEL } from './kafka-log';
import { ensureTopics } from './topic-admin';

export interface KafkaConsumerOptions {
  brokers: string[];
  clientId: string;
  /** One group per service: its instances share the partitions (scale-out). */
  groupId: string;
}

/**
 * Connects the service's @EventPattern handlers to Kafka through @nestjs/microservices.
 * Topics are created first (a missing topic makes listen() reject). Raw bytes are kept so
 * MessageConsumer validates and dead-letters the exact record.
 */
export async function connectKafkaConsumer(app: INestApplication, options: KafkaConsumerOptions): Promise<void> {
  await ensureTopics(options.brokers);
  app.connectMicroservice<MicroserviceOptions>(
    {
      transport: Transport.KAFKA,
      options: {
        postfixId: '',
        client: { clientId: options.clientId, brokers: options.brokers, logLevel: KAFKA_LOG_LEVEL, logCreator: kafkaLogCreator },
        consumer: { groupId: options.groupId, allowAutoTopicCreation: false, sessionTimeout: 30000, heartbeatInterval: 3000 },
        subscribe: { fromBeginning: true },
        parser: { keepBinary: true },
        // Partitions are handled concurrently, each one in order, so per-key order holds.
        run: { autoCommit: true, partitionsConsumedConcurrently: 3 },
      },
    },
    { inheritAppConfig: true },
  );
  await app.startAllMicroservices();
}

import { INestApplication, Logger } from '@nestjs/common';
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
  await untilBrokerAnswers(() => ensureTopics(options.brokers));
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

/** How long a starting service waits for the broker before it gives up and exits. */
export const BROKER_STARTUP_WAIT_MS = 10 * 60 * 1000;

/**
 * A service that starts while the broker restarts (a node reboot, a rolling upgrade) waits
 * for it, retrying with capped backoff, instead of exiting at once: start order between the
 * broker and the services does not matter. Past BROKER_STARTUP_WAIT_MS the last error is thrown
 * and the process exits with it (a wrong KAFKA_BROKERS is not waited on forever).
 */
export async function untilBrokerAnswers<T>(attempt: () => Promise<T>, waitMs = BROKER_STARTUP_WAIT_MS, sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))): Promise<T> {
  const logger = new Logger('Kafka');
  const deadline = Date.now() + waitMs;
  for (let n = 0; ; n += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      const delayMs = Math.min(10000, 500 * 2 ** Math.min(n, 5));
      logger.warn({ msg: 'the Kafka broker does not answer yet; retrying', attempt: n + 1, retryInMs: delayMs, error: error instanceof Error ? error.message : String(error) });
      await sleep(delayMs);
    }
  }
}

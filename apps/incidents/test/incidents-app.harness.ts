import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { Admin, Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { INTERNAL_HEADERS, Topic } from '@incident-sync/contracts';
import { connectKafkaConsumer, ensureTopics } from '@incident-sync/messaging';
import { createValidationPipe, loadConfig } from '@incident-sync/service-runtime';
import { ApiClient, testStack } from '@incident-sync/testing';
import { IncidentsEnv } from '../src/incidents.env';
import { IncidentsModule } from '../src/incidents.module';

export interface IncidentsHarness {
  app: NestFastifyApplication;
  dataSource: DataSource;
  schema: string;
  /** This app's consumer group (dead letters it writes name it). */
  groupId: string;
  /** A client that calls the service as the gateway would, for one organization. */
  api(organizationId: string, actor?: string): ApiClient;
  close(): Promise<void>;
}

/**
 * Boots the incidents service in-process against the test stack (real Postgres and Kafka)
 * with its own schema and its own consumer group, started at the end of the commands topic,
 * so test files never share tables or steal each other's commands.
 */
export async function startIncidentsApp(): Promise<IncidentsHarness> {
  const suffix = randomUUID().slice(0, 8);
  const schema = `incidents_it_${suffix}`;
  const groupId = `incidents-it-${suffix}`;
  const brokers = testStack.kafkaBrokers;
  await ensureTopics(brokers);
  const admin = new Kafka({ clientId: 'incidents-it', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await startGroupAtEnd(admin, groupId, Topic.PlatformIncidentCommands);
  await admin.disconnect();

  const env = loadConfig(IncidentsEnv, {
    INTERNAL_TOKEN: testStack.internalToken,
    GATEWAY_TOKEN: testStack.gatewayToken,
    DATABASE_URL: testStack.databaseUrl,
    KAFKA_BROKERS: brokers.join(','),
    LOG_LEVEL: 'warn',
  });
  const app = await NestFactory.create<NestFastifyApplication>(IncidentsModule.forRoot(env, { schema, consumerGroup: groupId }), new FastifyAdapter(), { logger: ['fatal', 'error', 'warn'] });
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  await connectKafkaConsumer(app, { brokers, clientId: 'incidents', groupId });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const baseUrl = `http://127.0.0.1:${port}`;

  return {
    app,
    dataSource: app.get(DataSource),
    schema,
    groupId,
    api: (organizationId, actor = 'ci-key') => new ApiClient(baseUrl).withHeaders({
      [INTERNAL_HEADERS.internalToken]: testStack.internalToken,
      [INTERNAL_HEADERS.organizationId]: organizationId,
      [INTERNAL_HEADERS.actor]: actor,
    }),
    close: async () => {
      await app.close();
      const client = new Client({ connectionString: testStack.databaseUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
      const cleanup = new Kafka({ clientId: 'incidents-it', brokers, logLevel: logLevel.NOTHING }).admin();
      await cleanup.connect();
      await cleanup.deleteGroups([groupId]).catch(() => undefined);
      await cleanup.disconnect();
    },
  };
}

/**
 * Commits the topic's current end offsets for a new group, so the group reads only what is
 * published from now on. (kafkajs `resetOffsets` commits the -1 "latest" sentinel, which a
 * Nest consumer subscribed `fromBeginning` then reads as "from the start".)
 */
export async function startGroupAtEnd(admin: Admin, groupId: string, topic: string): Promise<void> {
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.setOffsets({ groupId, topic, partitions: ends.map((p) => ({ partition: p.partition, offset: p.high })) });
}

export function uniqueOrg(): string {
  return `org-${randomUUID().slice(0, 12)}`;
}

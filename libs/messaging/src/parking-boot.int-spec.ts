import { Module } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppError, PagerDutyCommandResultV1, Topic } from '@incident-sync/contracts';
import { parkedMessageV1Up } from '@incident-sync/persistence';
import { TcpGate, testStack } from '@incident-sync/testing';
import { MessageConsumer, RawRecord } from './message-consumer';
import { MessagingModule } from './messaging.module';

const run = randomUUID().slice(0, 8);
const schema = `it_parkboot_${run}`;
const GROUP = `parking-boot-it-${run}`;

/** Stands in for PersistenceModule: the consumer base finds the service's DataSource globally. */
@Module({})
class ProbeDatabaseModule {
  static with(ds: DataSource) {
    return { module: ProbeDatabaseModule, global: true, providers: [{ provide: DataSource, useValue: ds }], exports: [DataSource] };
  }
}

const record = (key: string, offset: string): RawRecord => {
  const payload: PagerDutyCommandResultV1 = {
    resultId: randomUUID(), commandIds: [randomUUID()], organizationId: 'org-it', integrationId: 'parking-boot-it', platformIncidentId: key,
    pdIncidentId: 'PABC123', action: 'update_incident', outcome: 'succeeded', completedAt: new Date().toISOString(),
  };
  return { topic: Topic.PagerDutyCommandResults, partition: 0, offset, key, value: JSON.stringify(payload), headers: {} };
};

/**
 * Found by the fault tier (seed 67075789): a sync-engine that booted while PostgreSQL restarted
 * could not tell whether its `parked_message` table existed, ran without parking for the rest of
 * its life, and retried every transient failure in place — one neighbour integration whose
 * PagerDuty budget stayed paused then held whole partitions (every other incident on them) for
 * ten minutes. Parking is now decided once the database answers.
 */
describe('the consumer base when the database is down at boot (real database)', () => {
  let door: TcpGate;
  let dataSource: DataSource;
  let moduleRef: TestingModule;
  let consumer: MessageConsumer;

  beforeAll(async () => {
    const admin = new Client({ connectionString: testStack.databaseUrl });
    await admin.connect();
    await admin.query(`CREATE SCHEMA "${schema}"`);
    for (const sql of parkedMessageV1Up(schema)) await admin.query(sql);
    await admin.end();
    const url = new URL(testStack.databaseUrl);
    door = await TcpGate.to(`${url.hostname}:${url.port || '5432'}`);
    await door.open();
    url.port = String(door.port);
    dataSource = await new DataSource({ type: 'postgres', url: url.toString(), schema, extra: { connectionTimeoutMillis: 2000 } }).initialize();
    moduleRef = await Test.createTestingModule({
      imports: [ProbeDatabaseModule.with(dataSource), MessagingModule.forRoot({ clientId: GROUP, brokers: testStack.kafkaBrokers, parking: { pollMs: 100 } })],
    }).compile();
    consumer = moduleRef.get(MessageConsumer);
  });

  afterAll(async () => {
    await door?.open();
    await consumer?.beforeApplicationShutdown();
    await moduleRef?.close();
    await dataSource?.query(`DROP SCHEMA "${schema}" CASCADE`).catch(() => undefined);
    await dataSource?.destroy();
    await door?.shut();
  });

  it('given PostgreSQL did not answer while the service booted, when it is back, then a transient failure parks its key instead of holding the partition', async () => {
    await door.shut();
    await consumer.onApplicationBootstrap();
    await door.open();

    const key = randomUUID();
    let calls = 0;
    const processing = consumer.process(Topic.PagerDutyCommandResults, record(key, '7'), async () => {
      calls += 1;
      throw new AppError('DEPENDENCY_UNAVAILABLE', 'the probe\'s dependency is down');
    }, GROUP);
    // Parked, process() returns after the first failure; retried in place, it never would.
    const outcome = await Promise.race([processing.then(() => 'returned'), new Promise((resolve) => setTimeout(() => resolve('still retrying in place'), 20000))]);
    expect(outcome).toBe('returned');
    expect(calls).toBe(1);
    const parked: { park_key: string }[] = await dataSource.query(`SELECT "park_key" FROM "${schema}"."parked_message"`);
    expect(parked.map((p) => p.park_key)).toEqual([key]);
  }, 60000);
});

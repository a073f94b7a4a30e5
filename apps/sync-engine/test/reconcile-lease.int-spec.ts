import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createServiceDataSource, withSearchPath } from '@incident-sync/persistence';
import { testStack } from '@incident-sync/testing';
import { ReconcileLease } from '../src/reconcile-lease';
import { MIGRATIONS } from '../src/sync-engine.module';

/**
 * The reconcile lease on real PostgreSQL (a throw-away schema with the sync-engine's
 * migrations): one holder per integration, renewed by its holder only, and free again soon
 * after a holder that stopped renewing (a replica SIGKILLed mid-pass) — the fault tier found
 * a crashed replica's 15-minute lease keeping two integrations unreconciled (seed 67075789).
 */
describe('ReconcileLease (int)', () => {
  const schema = `sync_engine_lease_${randomUUID().slice(0, 8)}`;
  let dataSource: DataSource;
  let lease: ReconcileLease;

  beforeAll(async () => {
    dataSource = await createServiceDataSource({ url: withSearchPath(testStack.databaseUrl, schema), schema, poolSize: 2, entities: [], migrations: MIGRATIONS });
    lease = new ReconcileLease(dataSource);
  });

  afterAll(async () => {
    await dataSource?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await dataSource?.destroy();
  });

  it('given a holder, then only it can renew, nobody else can claim, and after release the next scheduled pass waits one interval', async () => {
    const integration = randomUUID();
    expect(await lease.claim(integration, 'replica-a', 60000, null)).toBe(true);
    expect(await lease.claim(integration, 'replica-b', 60000, null)).toBe(false);
    expect(await lease.renew(integration, 'replica-a', 60000)).toBe(true);
    expect(await lease.renew(integration, 'replica-b', 60000)).toBe(false);
    await lease.release(integration, 'replica-a');
    expect(await lease.claim(integration, 'replica-b', 60000, 3600000)).toBe(false);
    expect(await lease.claim(integration, 'replica-b', 60000, null)).toBe(true);
  });

  it('given a holder that died (stopped renewing), when its lease runs out, then another replica claims the integration', async () => {
    const integration = randomUUID();
    expect(await lease.claim(integration, 'replica-dead', 300, null)).toBe(true);
    expect(await lease.claim(integration, 'replica-b', 60000, 0)).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await lease.claim(integration, 'replica-b', 60000, 0)).toBe(true);
    expect(await lease.renew(integration, 'replica-dead', 60000)).toBe(false);
  });
});

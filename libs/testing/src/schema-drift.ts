import { randomUUID } from 'node:crypto';
import { createServiceDataSource, pendingSchemaChanges, ServiceDataSourceOptions } from '@incident-sync/persistence';
import { testStack } from './test-stack';

/**
 * Runs a service's committed migrations into a fresh schema of the test database and returns
 * the SQL TypeORM would still need to match the entities. Empty = no drift (CONVENTIONS §9).
 */
export async function pendingChangesAfterMigrations(entities: ServiceDataSourceOptions['entities'], migrations: ServiceDataSourceOptions['migrations']): Promise<string[]> {
  const schema = `drift_${randomUUID().slice(0, 8)}`;
  const dataSource = await createServiceDataSource({ url: testStack.databaseUrl, schema, entities, migrations, poolSize: 2 });
  try {
    return await pendingSchemaChanges(dataSource);
  } finally {
    await dataSource.query(`DROP SCHEMA "${schema}" CASCADE`);
    await dataSource.destroy();
  }
}

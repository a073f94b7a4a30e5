import { DataSource } from 'typeorm';

/**
 * The SQL TypeORM would run to make the database match the entities. Empty after the
 * committed migrations ran means no entity changed without a migration (CONVENTIONS §9);
 * each service's int tests assert it on a freshly migrated schema.
 */
export async function pendingSchemaChanges(dataSource: DataSource): Promise<string[]> {
  const { upQueries } = await dataSource.driver.createSchemaBuilder().log();
  return upQueries.map((q) => q.query);
}

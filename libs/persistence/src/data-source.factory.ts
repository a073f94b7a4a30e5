import { Client } from 'pg';
import { DataSource, DataSourceOptions, EntitySchema, MixedList } from 'typeorm';
import { InboxMessageEntity } from './inbox-message.entity';
import { OutboxMessageEntity } from './outbox-message.entity';

export interface ServiceDataSourceOptions {
  url: string;
  /** Each service owns one schema (ARCHITECTURE §1: "owns its own tables"). */
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  poolSize?: number;
}

/** The one DataSource recipe: Postgres, the service's schema, committed migrations, no synchronize. */
export function dataSourceOptions(options: ServiceDataSourceOptions): DataSourceOptions {
  const entities = Array.isArray(options.entities) ? options.entities : Object.values(options.entities);
  return {
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities: [...entities, InboxMessageEntity, OutboxMessageEntity],
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    extra: { max: options.poolSize ?? 10, application_name: `incident-sync:${options.schema}` },
  };
}

/** Creates the schema when missing (migrations live inside it), connects and migrates. */
export async function createServiceDataSource(options: ServiceDataSourceOptions): Promise<DataSource> {
  const client = new Client({ connectionString: options.url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`);
  } finally {
    await client.end();
  }
  const dataSource = new DataSource(dataSourceOptions(options));
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return dataSource;
}

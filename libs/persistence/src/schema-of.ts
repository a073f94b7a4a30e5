import { DataSource } from 'typeorm';

/**
 * The service's schema from its DataSource. Raw SQL names tables with it explicitly:
 * TypeORM's `schema` option qualifies entity queries but does not set the search_path.
 */
export function schemaOf(dataSource: DataSource): string {
  const schema = (dataSource.options as { schema?: string }).schema;
  if (!schema || !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`DataSource has no usable schema (got ${String(schema)})`);
  return schema;
}

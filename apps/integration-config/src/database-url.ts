/**
 * Adds `search_path=<schema>` to the Postgres URL. TypeORM qualifies entity tables with the
 * DataSource schema, but libs/persistence's outbox relay issues unqualified SQL
 * ("outbox_message") that resolves through search_path, i.e. `public` without this.
 */
export function withSearchPath(databaseUrl: string, schema: string): string {
  const url = new URL(databaseUrl);
  if (!url.searchParams.has('options')) url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

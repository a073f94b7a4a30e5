/**
 * Adds `search_path=<schema>` to a Postgres URL. TypeORM qualifies entity tables with the
 * DataSource schema, but the inbox/outbox helpers of libs/persistence issue unqualified SQL
 * ("outbox_message"), which resolves through search_path; without this they would look in
 * `public`.
 */
export function withSearchPath(databaseUrl: string, schema: string): string {
  const url = new URL(databaseUrl);
  if (!url.searchParams.has('options')) url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

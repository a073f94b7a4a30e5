/**
 * Adds `search_path=<schema>` to a Postgres URL: the inbox/outbox helpers of
 * libs/persistence issue unqualified SQL that resolves through search_path.
 */
export function withSearchPath(databaseUrl: string, schema: string): string {
  const url = new URL(databaseUrl);
  if (!url.searchParams.has('options')) url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

/**
 * The Postgres URL every connection of a service uses: its own schema first on `search_path`
 * (libpq `options`). TypeORM qualifies its entity queries with the DataSource schema and the
 * inbox/outbox helpers qualify theirs (schemaOf), but some services' raw SQL is unqualified
 * and resolves through search_path — `public` without this.
 *
 * Options already in the URL are kept (e.g. `-c statement_timeout=5000`), and a search_path
 * given there is replaced: skipping the URL's options when present (as two earlier copies of
 * this function did) silently sent that unqualified SQL to `public`.
 */
export function withSearchPath(databaseUrl: string, schema: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`schema ${JSON.stringify(schema)} is not a plain lower-case identifier`);
  const url = new URL(databaseUrl);
  const kept = (url.searchParams.get('options') ?? '')
    .replace(/(^|\s)-c\s*search_path=\S*/g, ' ')
    .replace(/(^|\s)--search_path=\S*/g, ' ')
    .trim();
  url.searchParams.set('options', [kept, `-c search_path=${schema}`].filter(Boolean).join(' '));
  return url.toString();
}

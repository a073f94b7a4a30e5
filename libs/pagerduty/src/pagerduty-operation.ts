/**
 * A request path as a metric label: the resource names kept, every id replaced by `{id}`
 * (`/incidents/PABC123/notes` → `/incidents/{id}/notes`, `/users/me` → `/users/{id}`). Paths
 * alternate collection / id, so every second segment is an id. The query is dropped, and a
 * collection name that is not a plain lowercase word becomes `{other}`, so no caller input
 * (ids, emails, keys) ever reaches a label and the set of values stays small.
 */
export function pagerDutyOperationOf(path: string): string {
  const bare = path.split(/[?#]/)[0] ?? '';
  const segments = bare.split('/').filter((s) => s.length > 0);
  if (segments.length === 0) return '/';
  const parts = segments.slice(0, 6).map((segment, index) => {
    if (index % 2 === 1) return '{id}';
    return /^[a-z][a-z_]{0,40}$/.test(segment) ? segment : '{other}';
  });
  return `/${parts.join('/')}`;
}

import { TRAVERSAL_ENCODINGS, traversalPath } from './support/traversal-encodings';

/** What a WHATWG URL parser (fetch, undici) makes of a path after `decodes` rounds of percent-decoding. */
function normalised(path: string, decodes: number): string {
  let p = path;
  for (let i = 0; i < decodes; i += 1) {
    try {
      p = decodeURIComponent(p);
    } catch {
      return p;
    }
  }
  return new URL(p, 'http://127.0.0.1').pathname;
}

describe('traversal encodings', () => {
  const prefix = '/api/v1/integrations/0f0e0d0c-0000-4000-8000-000000000000/dispatcher';
  const target = 'internal/v1/integrations';

  it('are at least 30 distinct spellings', () => {
    const paths = new Set(TRAVERSAL_ENCODINGS.map((e) => traversalPath(prefix, e, target)));
    expect(TRAVERSAL_ENCODINGS.length).toBeGreaterThanOrEqual(30);
    expect(paths.size).toBe(TRAVERSAL_ENCODINGS.length);
    expect(new Set(TRAVERSAL_ENCODINGS.map((e) => e.name)).size).toBe(TRAVERSAL_ENCODINGS.length);
  });

  it('include real attacks: a URL parser, once or twice decoding, leaves the route prefix for the target', () => {
    const escaping = TRAVERSAL_ENCODINGS.filter((e) => [0, 1, 2].some((n) => normalised(traversalPath(prefix, e, target), n) === `/${target}`)).map((e) => e.name);
    expect(escaping).toEqual(expect.arrayContaining(['raw+slash', 'pct-lower+slash', 'pct-upper+slash', 'dot-pct+slash', 'raw+backslash', 'raw+pct-slash', 'double-pct+slash', 'mixed-everything']));
    expect(escaping.length).toBeGreaterThanOrEqual(15);
  });
});

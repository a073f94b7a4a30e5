import { normaliseTarget } from './path-normaliser';
import { routeFor } from './route-table';

/** Every way of writing "." that a decoder somewhere might turn into a dot. */
const DOTS = ['.', '%2e', '%2E', '%252e', '%252E', '%25252e', '%u002e', '%c0%ae', '%C0%AE', '%e0%80%ae', '%c0%2e', '%uff0e', '%ef%bc%8e'];
/** Every way of writing a separator. */
const SLASHES = ['/', '%2f', '%2F', '%252f', '%5c', '%5C', '%255c', '\\', '%c0%af', '%e0%80%af', '%ef%bc%8f', '%u2215'];

const PREFIXES = ['/api/v1/integrations/', '/api/v1/webhooks/', '/api/v1/incidents/x/', '/api/v1/'];

function traversals(prefix: string): string[] {
  const out = new Set<string>();
  for (const a of DOTS) {
    for (const b of DOTS) {
      for (const sep of SLASHES) out.add(`${prefix}${a}${b}${sep}${a}${b}${sep}${a}${b}${sep}internal/v1/integrations`);
    }
    out.add(`${prefix}${a}`);
    out.add(`${prefix}${a}/internal`);
  }
  return [...out];
}

describe('normaliseTarget', () => {
  it.each(PREFIXES)('refuses every generated traversal encoding under %s', (prefix) => {
    const cases = traversals(prefix);
    expect(cases.length).toBeGreaterThanOrEqual(30);
    expect(cases.filter((target) => normaliseTarget(target).ok)).toEqual([]);
  });

  it.each([
    ['/api/v1/integrations/../../../internal/v1/integrations', 'dot segments'],
    ['/api/v1/integrations/%2e%2e/%2e%2e/%2e%2e/internal/v1/integrations', 'dot segments'],
    ['/api/v1/webhooks/../../../internal/v1/ingress/status/abc', 'dot segments'],
    ['/api/v1/integrations/./x', 'dot segments'],
    ['/api/v1/integrations/.%2E/x', 'dot segments'],
    ['/api/v1/integrations/...', 'dot segments'],
    ['/api/v1/integrations/%252e%252e/x', 'encoded twice'],
    ['/api/v1/integrations/a%2fb', 'encoded slashes'],
    ['/api/v1/integrations/a%5cb', 'encoded slashes'],
    ['/api/v1/integrations/a\\b', 'backslash'],
    ['/api/v1/integrations/a%00b', 'control characters'],
    ['/api/v1/integrations/a%0d%0aX-Injected:1', 'control characters'],
    ['/api/v1/integrations/a\u0000b', 'control characters'],
    ['/api/v1/integrations/a%7fb', 'control characters'],
    ['/api/v1/integrations/a%c2%85b', 'control characters'],
    ['/api/v1/integrations/a%zzb', 'malformed percent-encoding'],
    ['/api/v1/integrations/a%2', 'malformed percent-encoding'],
    ['/api/v1/integrations/%ff', 'not UTF-8'],
    ['/api/v1/integrations/%ed%a0%80', 'not UTF-8'],
    ['/api/v1/integrations/a;b', ';'],
    ['/api/v1/integrations/..;/x', ';'],
    ['/api/v1/integrations/a%3bb', ';'],
    ['/api/v1//integrations', 'empty segments'],
    ['//evil.example/api/v1/integrations', '"//"'],
    ['http://evil.example/api/v1/integrations', 'start with "/"'],
    ['*', 'start with "/"'],
    ['', 'empty'],
    ['/api/v1/integrations/a b', 'percent-encoded'],
    ['/api/v1/integrations/a#b', '"#"'],
    ['/api/v1/integrations/運用', 'percent-encoded'],
    ['/api/v1/integrations/%e2%80%ae', 'invisible'],
    ['/api/v1/integrations?x=%00', 'control characters'],
    ['/api/v1/integrations?x=\u0001', 'printable ASCII'],
    ['/api/v1/integrations?x=a b', 'printable ASCII'],
    ['/api/v1/integrations?x=%zz', 'malformed'],
    [`/api/v1/${'a'.repeat(9000)}`, 'longer than'],
  ])('refuses %j (%s)', (target, reason) => {
    const result = normaliseTarget(target);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(reason);
  });

  it.each([
    ['/api/v1/integrations', '/api/v1/integrations', ''],
    ['/api/v1/integrations/', '/api/v1/integrations/', ''],
    ['/api/v1/integrations/prod-pd/links?status=open&limit=5', '/api/v1/integrations/prod-pd/links', 'status=open&limit=5'],
    ['/api/v1/incidents/0b9b6f2e-4d9f-4b47-9a5a-1f7f3c2a9d10/timeline', '/api/v1/incidents/0b9b6f2e-4d9f-4b47-9a5a-1f7f3c2a9d10/timeline', ''],
    ['/api/v1/integrations/a.b_c~d', '/api/v1/integrations/a.b_c~d', ''],
    ['/api/v1/integrations/..a', '/api/v1/integrations/..a', ''],
    ['/api/v1/%61pi', '/api/v1/api', ''],
    ['/api/v1/integrations/%e9%81%8b%e7%94%a8', '/api/v1/integrations/%E9%81%8B%E7%94%A8', ''],
    ['/api/v1/integrations/a%20b', '/api/v1/integrations/a%20b', ''],
    ['/api/v1/integrations/a%3Fb', '/api/v1/integrations/a%3Fb', ''],
    ['/api/v1/conflicts?status=bogus%20x', '/api/v1/conflicts', 'status=bogus%20x'],
    ['/api/v1/dlq?', '/api/v1/dlq', ''],
  ])('accepts %j as %j with query %j', (target, path, query) => {
    expect(normaliseTarget(target)).toEqual({ ok: true, path, query });
  });

  it('is idempotent: a normalised path normalises to itself', () => {
    for (const target of ['/api/v1/integrations/%e9%81%8b', '/api/v1/%61pi/x', '/api/v1/integrations/a%20b%3F']) {
      const once = normaliseTarget(target);
      expect(once.ok).toBe(true);
      if (once.ok) expect(normaliseTarget(once.path)).toEqual({ ok: true, path: once.path, query: '' });
    }
  });

  it('never yields a path whose URL resolution differs from itself, nor one that leaves its route prefix', () => {
    const samples = ['/api/v1/integrations/x', '/api/v1/webhooks/abc', '/api/v1/integrations/%e9%81%8b/links', '/api/v1/integrations/a%25'];
    for (const target of [...samples, ...PREFIXES.flatMap(traversals)]) {
      const result = normaliseTarget(target);
      if (!result.ok) continue;
      expect(new URL(result.path, 'http://upstream.internal').pathname).toBe(result.path);
      expect(result.path.startsWith('/api/v1/')).toBe(true);
      expect(result.path.split('/')).not.toContain('..');
    }
  });

  it('routes the normalised form, not the raw one', () => {
    const result = normaliseTarget('/api/v1/%69ntegrations/prod/links');
    expect(result.ok && routeFor(result.path)?.upstream).toBe('sync-engine');
  });
});

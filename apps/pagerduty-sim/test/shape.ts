/**
 * Structural comparison of a webhook we send with a real captured one: the same keys at every
 * object level and the same JSON value types. `null` on either side matches any type (PagerDuty
 * fields may be null, FACTS §2.1). Arrays compare their first elements when both have one.
 * `optionalTopLevelDataKeys`: keys of `data` that older captures lack (FACTS §1.1).
 */
export function compareShape(expected: unknown, actual: unknown, path = '', optionalDataKeys: string[] = []): string[] {
  if (expected === null || actual === null) return [];
  const kind = (v: unknown): string => (Array.isArray(v) ? 'array' : typeof v);
  if (kind(expected) !== kind(actual)) return [`${path || '<root>'}: expected ${kind(expected)}, got ${kind(actual)}`];
  if (Array.isArray(expected) && Array.isArray(actual)) {
    return expected.length && actual.length ? compareShape(expected[0], actual[0], `${path}[0]`) : [];
  }
  if (typeof expected === 'object' && typeof actual === 'object') {
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    const optional = path === '.data' ? optionalDataKeys : [];
    const problems: string[] = [];
    for (const key of Object.keys(e)) if (!(key in a)) problems.push(`${path}.${key}: missing`);
    for (const key of Object.keys(a)) if (!(key in e) && !optional.includes(key)) problems.push(`${path}.${key}: not in the real payload`);
    for (const key of Object.keys(e)) if (key in a) problems.push(...compareShape(e[key], a[key], `${path}.${key}`, optionalDataKeys));
    return problems;
  }
  return [];
}

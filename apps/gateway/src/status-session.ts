import { createHash, randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { BoundedCache } from '@incident-sync/service-runtime';

/** The status page's session cookie: sent back only to /status pages, never to /api/v1. */
export const STATUS_COOKIE = 'incident_sync_status';
export const STATUS_COOKIE_PATH = '/status';
/** A session lasts this long from sign-in (then the form again); sign-out ends it at once. */
export const STATUS_SESSION_TTL_MS = 8 * 60 * 60 * 1000;
/** Sessions kept at once per gateway process; the least recently used go first. */
export const STATUS_SESSION_MAX = 10000;

/**
 * Server-side sessions of the status page. The browser holds only a random 256-bit id; the API
 * key it signed in with stays in this process's memory, keyed by the id's SHA-256 (so the map
 * itself holds no usable cookie). Every request still resolves the key, so a deleted key stops
 * working within the resolver's cache time even while a session lives. Sessions are per gateway
 * process: a restart signs everyone out, and several gateway replicas need sticky sessions.
 */
export class StatusSessions {
  private readonly sessions: BoundedCache<string, string>;

  constructor(ttlMs = STATUS_SESSION_TTL_MS, maxEntries = STATUS_SESSION_MAX) {
    this.sessions = new BoundedCache({ maxEntries, ttlMs });
  }

  /** A new session for a key already checked by the caller; answers the cookie value. */
  create(apiKey: string): string {
    const id = randomBytes(32).toString('base64url');
    this.sessions.set(digest(id), apiKey);
    return id;
  }

  apiKeyOf(id: string): string | undefined {
    return this.sessions.get(digest(id));
  }

  destroy(id: string): void {
    this.sessions.delete(digest(id));
  }
}

const digest = (id: string): string => createHash('sha256').update(id).digest('hex');

/** The session id from a Cookie header, when it has the shape of one (43 base64url characters). */
export function sessionIdOf(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== STATUS_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    if (/^[A-Za-z0-9_-]{43}$/.test(value)) return value;
  }
  return undefined;
}

/**
 * Set-Cookie for a session: HttpOnly (no script reads it), SameSite=Strict (no other site's
 * page sends it), Path=/status (the JSON API never receives it), Secure when the page was
 * reached over https (directly, or X-Forwarded-Proto from a TLS proxy). `null` clears it.
 */
export function sessionCookie(id: string | null, secure: boolean, ttlMs = STATUS_SESSION_TTL_MS): string {
  const parts = [`${STATUS_COOKIE}=${id ?? ''}`, `Path=${STATUS_COOKIE_PATH}`, 'HttpOnly', 'SameSite=Strict', `Max-Age=${id === null ? 0 : Math.floor(ttlMs / 1000)}`];
  if (secure) parts.push('Secure');
  return parts.join('; ');
}

/**
 * CSRF guard of the form POSTs (sign-in, sign-out), on top of SameSite=Strict: the browser's
 * Origin must be this gateway's own (same host as the request's Host). Without an Origin the
 * Fetch Metadata header must say same-origin (also when the Origin is `null`). Browsers send these on every form POST;
 * scripts and curl send neither and are refused (they use the Authorization header instead).
 */
export function isSameOriginPost(headers: IncomingHttpHeaders): boolean {
  const host = typeof headers.host === 'string' ? headers.host.toLowerCase() : undefined;
  if (!host) return false;
  const origin = headers.origin;
  const fetchSite = headers['sec-fetch-site'];
  if (typeof origin === 'string') {
    // An opaque origin (a sandboxed frame, or a page whose referrer policy hides it) counts only
    // when the browser itself says the request is same-origin (Sec-Fetch-Site cannot be set by pages).
    if (origin === 'null') return fetchSite === 'same-origin';
    try {
      const parsed = new URL(origin);
      return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.host.toLowerCase() === host;
    } catch {
      return false;
    }
  }
  return fetchSite === 'same-origin';
}

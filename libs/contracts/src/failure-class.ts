import { AppError } from './app-error';

/**
 * Whether a failure can ever succeed by waiting (docs/ARCHITECTURE.md "Ordering and failure
 * model"):
 *  - `transient`: the cause is outside the message and goes away (database or peer service
 *    unavailable, PagerDuty 429/5xx/408/timeouts/connection errors). Retried until it succeeds;
 *    never dead-lettered before the parking limit;
 *  - `permanent`: the message itself can never succeed (validation, PagerDuty 4xx other than
 *    408/429, an AppError that says it cannot be retried). Dead-lettered at once;
 *  - `unknown`: an error nobody classified (a bug, an unexpected driver error). Retried a few
 *    times in case it is transient, then treated as a poison message.
 */
export type FailureKind = 'transient' | 'permanent' | 'unknown';

export interface FailureClass {
  kind: FailureKind;
  /** The DLQ errorCode / log code. */
  code: string;
  /** The wait the failing party asked for (PagerDuty `ratelimit-reset`, our budget), when known. */
  retryAfterMs: number | null;
}

/** PostgreSQL SQLSTATE classes that mean "the database is not there right now" (08 connection, 57P0x shutdown, 53 resources). */
const DB_UNAVAILABLE_SQLSTATE = /^(08|53|57P0[1-3])/;
/** Serialization failures and deadlocks: retrying the transaction succeeds. */
const DB_RETRY_SQLSTATE = /^(40001|40P01)$/;
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET', 'UND_ERR_HEADERS_TIMEOUT']);
/** node-postgres / TypeORM connection-level failures carry no SQLSTATE, only these messages. */
const DB_UNAVAILABLE_MESSAGES = [
  'Connection terminated', 'timeout exceeded when trying to connect', 'the database system is starting up',
  'the database system is shutting down', 'Client has encountered a connection error', 'terminating connection due to administrator command',
  'Connection is not established', 'Cannot use a pool after calling end',
];

function fieldOf(error: unknown, name: string): unknown {
  return typeof error === 'object' && error !== null ? (error as Record<string, unknown>)[name] : undefined;
}

/** The error and its `cause` chain (fetch wraps ECONNREFUSED in a cause; TypeORM wraps driver errors). */
function chainOf(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (current !== undefined && current !== null && chain.length < 5) {
    chain.push(current);
    current = fieldOf(current, 'cause') ?? fieldOf(current, 'driverError');
  }
  return chain;
}

/** True when the error says our database cannot be reached right now (used by HTTP edges for 503). */
export function isDatabaseUnavailable(error: unknown): boolean {
  return chainOf(error).some((e) => {
    const sqlState = fieldOf(e, 'code');
    if (typeof sqlState === 'string' && DB_UNAVAILABLE_SQLSTATE.test(sqlState) && sqlState.length === 5) return true;
    if (typeof sqlState === 'string' && NETWORK_CODES.has(sqlState) && typeof fieldOf(e, 'address') === 'string') return true;
    const message = e instanceof Error ? e.message : '';
    return DB_UNAVAILABLE_MESSAGES.some((m) => message.includes(m));
  });
}

function isNetworkFailure(error: unknown): boolean {
  return chainOf(error).some((e) => {
    const code = fieldOf(e, 'code');
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
    // fetch() rejects with TypeError('fetch failed') whatever the socket error was.
    return e instanceof TypeError && e.message === 'fetch failed';
  });
}

/** A peer service answered 5xx/408/429 (our HTTP clients say "<peer> answered <status>"). */
function peerStatusOf(error: unknown): number | null {
  const message = error instanceof Error ? error.message : '';
  const match = / answered (\d{3})\b/.exec(message);
  return match ? Number(match[1]) : null;
}

/** The wait the failure asked for: PagerDuty's `ratelimit-reset` (seconds) or an AppError's `details.retryAfterMs`. */
export function retryAfterMsOf(error: unknown): number | null {
  const reset = fieldOf(error, 'rateLimitResetSeconds');
  if (typeof reset === 'number' && Number.isFinite(reset) && reset >= 0) return Math.ceil(reset * 1000);
  const details = fieldOf(error, 'details');
  const after = fieldOf(details, 'retryAfterMs');
  if (typeof after === 'number' && Number.isFinite(after) && after >= 0) return Math.ceil(after);
  return null;
}

/** One exhaustive decision, shared by every consumer (CONVENTIONS §8). */
export function failureClassOf(error: unknown): FailureClass {
  const retryAfterMs = retryAfterMsOf(error);
  if (error instanceof AppError) {
    if (!error.retryable) return { kind: 'permanent', code: error.code, retryAfterMs: null };
    // INTERNAL is "something threw": only known causes are transient.
    if (error.code !== 'INTERNAL') return { kind: 'transient', code: error.code, retryAfterMs };
  }
  // PagerDutyApiError (and anything shaped like it): status + retryable decided by the client (FACTS §2.5, §2.7).
  const status = fieldOf(error, 'status');
  const retryable = fieldOf(error, 'retryable');
  if (typeof status === 'number' && typeof retryable === 'boolean' && fieldOf(error, 'name') === 'PagerDutyApiError') {
    if (!retryable) return { kind: 'permanent', code: 'PAGERDUTY_REJECTED', retryAfterMs: null };
    return { kind: 'transient', code: status === 429 ? 'PAGERDUTY_RATE_LIMITED' : 'PAGERDUTY_UNAVAILABLE', retryAfterMs };
  }
  if (isDatabaseUnavailable(error)) return { kind: 'transient', code: 'DEPENDENCY_UNAVAILABLE', retryAfterMs };
  const sqlState = chainOf(error).map((e) => fieldOf(e, 'code')).find((c) => typeof c === 'string' && DB_RETRY_SQLSTATE.test(c));
  if (sqlState !== undefined) return { kind: 'transient', code: 'DEPENDENCY_UNAVAILABLE', retryAfterMs };
  if (isNetworkFailure(error)) return { kind: 'transient', code: 'UPSTREAM_UNAVAILABLE', retryAfterMs };
  const peer = peerStatusOf(error);
  if (peer !== null && (peer >= 500 || peer === 408 || peer === 429)) return { kind: 'transient', code: 'UPSTREAM_UNAVAILABLE', retryAfterMs };
  if (fieldOf(error, 'name') === 'TimeoutError' || fieldOf(error, 'name') === 'AbortError') return { kind: 'transient', code: 'UPSTREAM_UNAVAILABLE', retryAfterMs };
  return { kind: 'unknown', code: error instanceof AppError ? error.code : 'INTERNAL', retryAfterMs };
}

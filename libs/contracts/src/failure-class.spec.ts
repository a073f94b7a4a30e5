import { AppError } from './app-error';
import { failureClassOf, isDatabaseUnavailable, retryAfterMsOf } from './failure-class';

/** Shaped like @incident-sync/pagerduty's PagerDutyApiError (contracts may not import it). */
class PagerDutyApiError extends Error {
  override readonly name = 'PagerDutyApiError';
  constructor(readonly status: number, readonly retryable: boolean, readonly rateLimitResetSeconds: number | null = null) {
    super(`PagerDuty answered ${status}`);
  }
}

const pgError = (code: string, message = 'driver error'): Error => Object.assign(new Error(message), { code });

describe('failureClassOf', () => {
  it.each([
    ['a PagerDuty 429 with ratelimit-reset', new PagerDutyApiError(429, true, 7), 'transient', 7000],
    ['a PagerDuty 500', new PagerDutyApiError(500, true), 'transient', null],
    ['a PagerDuty timeout (status 0)', new PagerDutyApiError(0, true), 'transient', null],
    ['a PagerDuty 408', new PagerDutyApiError(408, true), 'transient', null],
    ['a PagerDuty 400', new PagerDutyApiError(400, false), 'permanent', null],
    ['a PagerDuty 404', new PagerDutyApiError(404, false), 'permanent', null],
    ['a validation error', AppError.validation('title', 'must be a string'), 'permanent', null],
    ['a malformed message', new AppError('MALFORMED_MESSAGE', 'value is not JSON'), 'permanent', null],
    ['our budget being empty', new AppError('RATE_LIMITED', 'no token', undefined, { retryAfterMs: 2500 }), 'transient', 2500],
    ['a peer answering 503', new Error('integration-config answered 503 for /internal/v1/integrations/x'), 'transient', null],
    ['a peer refusing connections', Object.assign(new TypeError('fetch failed'), { cause: pgError('ECONNREFUSED') }), 'transient', null],
    ['PostgreSQL shutting down (57P01)', pgError('57P01', 'terminating connection due to administrator command'), 'transient', null],
    ['PostgreSQL refusing connections', Object.assign(pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'), { address: '127.0.0.1' }), 'transient', null],
    ['a lost connection', new Error('Connection terminated unexpectedly'), 'transient', null],
    ['a deadlock', Object.assign(new Error('query failed'), { driverError: pgError('40P01') }), 'transient', null],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')"), 'unknown', null],
    ['an INTERNAL AppError', new AppError('INTERNAL', 'unexpected'), 'unknown', null],
    ['a peer answering 400', new Error('integration-config answered 400 for /x'), 'unknown', null],
  ])('given %s, then it is %s', (_what, error, kind, retryAfterMs) => {
    const c = failureClassOf(error);
    expect(c.kind).toBe(kind);
    expect(c.retryAfterMs).toBe(retryAfterMs);
  });

  it('given a unique violation, then the database is not "unavailable" (it answered)', () => {
    expect(isDatabaseUnavailable(pgError('23505', 'duplicate key'))).toBe(false);
    expect(isDatabaseUnavailable(pgError('08006', 'connection failure'))).toBe(true);
  });

  it('reads retry-after from ratelimit-reset seconds or an AppError detail', () => {
    expect(retryAfterMsOf(new PagerDutyApiError(429, true, 1.5))).toBe(1500);
    expect(retryAfterMsOf(new AppError('RATE_LIMITED', 'x', undefined, { retryAfterMs: 10 }))).toBe(10);
    expect(retryAfterMsOf(new Error('x'))).toBeNull();
  });
});

import { ClassifiedFailure } from './failure-classification';
import { decideAfterFailure, FailureContext, PARKED_TOO_LONG } from './retry-policy';

const failure = (kind: ClassifiedFailure['kind'], extra: Partial<ClassifiedFailure> = {}): ClassifiedFailure => ({
  kind, code: kind === 'permanent' ? 'PAGERDUTY_REJECTED' : 'PAGERDUTY_UNAVAILABLE', outcomeUnknown: kind === 'transient', httpStatus: null, message: 'm', body: null, rateLimitResetSeconds: null, ...extra,
});
const DAY = 24 * 60 * 60 * 1000;
const ctx = (extra: Partial<FailureContext> = {}): FailureContext => ({
  attempts: 0, firstFailedAt: null, now: 10 * DAY, consecutive429: 1, policy: { baseMs: 1000, maxMs: 60000, multiplier: 2 }, parkLimitMs: DAY, ...extra,
});

describe('decideAfterFailure', () => {
  it('a permanent failure goes to the DLQ at once, with its own code', () => {
    expect(decideAfterFailure(failure('permanent'), ctx())).toEqual({ kind: 'dead_letter', code: 'PAGERDUTY_REJECTED', parkedTooLong: false });
  });

  it('a transient failure parks, however many attempts it has had, with backoff capped at 60 s', () => {
    const decision = decideAfterFailure(failure('transient'), ctx({ attempts: 500, firstFailedAt: 10 * DAY - 60000 }));
    expect(decision.kind).toBe('park');
    expect((decision as { waitMs: number }).waitMs).toBeLessThanOrEqual(60000);
    expect((decision as { waitMs: number }).waitMs).toBeGreaterThanOrEqual(30000);
  });

  it('backoff grows with the attempts by the integration\'s multiplier', () => {
    const waits = [0, 1, 2].map((attempts) => (decideAfterFailure(failure('transient'), ctx({ attempts, policy: { baseMs: 1000, maxMs: 60000, multiplier: 3 } })) as { waitMs: number }).waitMs);
    expect(waits[0]).toBeLessThanOrEqual(1000);
    expect(waits[1]).toBeGreaterThanOrEqual(1500);
    expect(waits[2]).toBeGreaterThanOrEqual(4500);
  });

  it('a 429 pauses the whole integration for ratelimit-reset when given', () => {
    const decision = decideAfterFailure(failure('rate_limited', { rateLimitResetSeconds: 7 }), ctx());
    expect(decision.kind).toBe('pause_integration');
    expect((decision as { waitMs: number }).waitMs).toBeGreaterThanOrEqual(7000);
    expect((decision as { waitMs: number }).waitMs).toBeLessThanOrEqual(7250);
  });

  it('a 429 without ratelimit-reset backs off on the consecutive 429s, capped', () => {
    const decision = decideAfterFailure(failure('rate_limited'), ctx({ consecutive429: 40 }));
    expect(decision).toMatchObject({ kind: 'pause_integration' });
    expect((decision as { waitMs: number }).waitMs).toBeLessThanOrEqual(60000);
  });

  it('only a unit parked for the whole limit goes to the DLQ, transient or 429 alike', () => {
    expect(decideAfterFailure(failure('transient'), ctx({ firstFailedAt: 10 * DAY - DAY + 1 })).kind).toBe('park');
    expect(decideAfterFailure(failure('transient'), ctx({ firstFailedAt: 9 * DAY }))).toEqual({ kind: 'dead_letter', code: PARKED_TOO_LONG, parkedTooLong: true });
    expect(decideAfterFailure(failure('rate_limited'), ctx({ firstFailedAt: 9 * DAY }))).toEqual({ kind: 'dead_letter', code: PARKED_TOO_LONG, parkedTooLong: true });
  });
});

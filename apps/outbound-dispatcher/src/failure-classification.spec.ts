import { PagerDutyApiError } from '@incident-sync/pagerduty';
import { classifyFailure, CommandRejectedError } from './failure-classification';

const pd = (status: number, reset: number | null = null) =>
  new PagerDutyApiError(`PagerDuty answered ${status}`, status, status === 400 ? 2001 : null, status === 429 || status === 408 || status >= 500 || status === 0, reset, status === 0 ? null : { error: { message: 'x', code: 1 } });

describe('retry classification', () => {
  it.each([
    [429, 'rate_limited', false],
    [500, 'transient', true],
    [502, 'transient', true],
    [503, 'transient', true],
    [408, 'transient', true],
    [0, 'transient', true],
    [400, 'permanent', false],
    [401, 'permanent', false],
    [402, 'permanent', false],
    [403, 'permanent', false],
    [404, 'permanent', false],
    [413, 'permanent', false],
  ])('HTTP %s is %s (outcome unknown: %s)', (status, kind, unknown) => {
    const failure = classifyFailure(pd(status));
    expect(failure.kind).toBe(kind);
    expect(failure.outcomeUnknown).toBe(unknown);
  });

  it('keeps ratelimit-reset and PagerDuty\'s error body', () => {
    expect(classifyFailure(pd(429, 12)).rateLimitResetSeconds).toBe(12);
    expect(classifyFailure(pd(400)).body).toEqual({ error: { message: 'x', code: 1 } });
    expect(classifyFailure(pd(0)).httpStatus).toBeNull();
  });

  it('a rejected 4xx is dead-lettered as PAGERDUTY_REJECTED; a malformed command is permanent too', () => {
    expect(classifyFailure(pd(400)).code).toBe('PAGERDUTY_REJECTED');
    expect(classifyFailure(new CommandRejectedError('INVALID_COMMAND', 'no create fields'))).toMatchObject({ kind: 'permanent', code: 'INVALID_COMMAND' });
  });

  it('an error that is not a PagerDuty answer is transient (bounded retries, then DLQ)', () => {
    expect(classifyFailure(new TypeError('boom'))).toMatchObject({ kind: 'transient', message: 'boom' });
  });
});

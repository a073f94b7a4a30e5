import { backoffDelayMs, BackoffPolicy, rateLimitDelayMs } from './backoff';
import { ClassifiedFailure } from './failure-classification';

/** What to do with a work unit after a failed PagerDuty call (pure; README "Failures"). */
export type FailureDecision =
  /** 429: PagerDuty's limit is per token, so every call of the integration waits `waitMs`. */
  | { kind: 'pause_integration'; waitMs: number }
  /** Transient: the unit's commands are parked for `waitMs`; only later commands of the same incident wait with them. */
  | { kind: 'park'; waitMs: number }
  /** Permanent, or parked longer than the limit: the DLQ, with `code`. */
  | { kind: 'dead_letter'; code: string; parkedTooLong: boolean };

export interface FailureContext {
  /** Attempts of the unit so far, this one not included (429s do not count). */
  attempts: number;
  /** When the unit's oldest command first failed (parked since), null if this is its first failure. */
  firstFailedAt: number | null;
  now: number;
  /** Consecutive 429s of the integration, this one included. */
  consecutive429: number;
  policy: BackoffPolicy;
  parkLimitMs: number;
}

export const PARKED_TOO_LONG = 'PARKED_TOO_LONG';

/**
 * Transient is never permanent: a 429, 408, 5xx, timeout or connection error is retried with
 * capped exponential backoff (`ratelimit-reset` when PagerDuty sent it) for as long as the
 * unit has been parked less than `parkLimitMs`; only then, or for a permanent failure
 * (validation, any other 4xx), does it go to the DLQ.
 */
export function decideAfterFailure(failure: ClassifiedFailure, ctx: FailureContext): FailureDecision {
  if (failure.kind === 'permanent') return { kind: 'dead_letter', code: failure.code, parkedTooLong: false };
  if (ctx.firstFailedAt !== null && ctx.now - ctx.firstFailedAt >= ctx.parkLimitMs) return { kind: 'dead_letter', code: PARKED_TOO_LONG, parkedTooLong: true };
  if (failure.kind === 'rate_limited') return { kind: 'pause_integration', waitMs: rateLimitDelayMs(failure.rateLimitResetSeconds, ctx.consecutive429, ctx.policy) };
  return { kind: 'park', waitMs: backoffDelayMs(ctx.attempts + 1, ctx.policy) };
}

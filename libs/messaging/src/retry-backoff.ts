/** How long a transient failure waits before its next try (docs/ARCHITECTURE.md "Ordering and failure model"). */
export interface BackoffPolicy {
  baseMs: number;
  /** Cap of the exponential part (60 s by default). */
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, capMs: 60000 };

/**
 * Capped exponential backoff with jitter for attempt `n` (1 = the first failure): base·2^(n-1)
 * up to the cap, then a random 80–100 % of it so parked keys do not retry in lock-step. A
 * wait the failing party asked for (`ratelimit-reset`) replaces it: that is exactly when the
 * budget refills, and it may exceed the cap (PagerDuty resets within a minute anyway).
 */
export function retryDelayMs(attempt: number, retryAfterMs: number | null, policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  if (retryAfterMs !== null && retryAfterMs >= 0) return Math.max(retryAfterMs, 50);
  const exponent = Math.min(Math.max(0, attempt - 1), 30);
  const raw = Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
  return Math.max(1, Math.round(raw * (0.8 + 0.2 * random())));
}

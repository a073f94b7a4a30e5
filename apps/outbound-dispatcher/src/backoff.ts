export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  /** The integration's `backoff_multiplier` (values below 1 are treated as 1). */
  multiplier: number;
}

/** Longest `ratelimit-reset` honoured as is; PagerDuty's windows are a minute long. */
const MAX_RESET_MS = 5 * 60 * 1000;
/** Spread added after `ratelimit-reset`, so replicas and integrations do not retry in lockstep. */
const RESET_JITTER_MS = 250;

/**
 * Exponential backoff with "equal jitter": the n-th consecutive failure waits a random time in
 * [d/2, d] where d = min(max, base × multiplier^(n-1)). Half the delay is guaranteed (no hot
 * retry loop), half is random (no thundering herd).
 */
export function backoffDelayMs(failures: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const n = Math.max(1, Math.floor(failures));
  const multiplier = Math.max(1, policy.multiplier);
  const ceiling = Math.min(policy.maxMs, policy.baseMs * multiplier ** (n - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * How long to wait after a 429 (FACTS §2.7): `ratelimit-reset` seconds when PagerDuty sent
 * it; otherwise (a 429 may come without headers) exponential backoff on the count of
 * consecutive 429s.
 */
export function rateLimitDelayMs(resetSeconds: number | null, consecutive429: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  if (resetSeconds !== null && Number.isFinite(resetSeconds) && resetSeconds >= 0) {
    return Math.min(MAX_RESET_MS, Math.ceil(resetSeconds * 1000)) + Math.round(random() * RESET_JITTER_MS);
  }
  return backoffDelayMs(consecutive429, policy, random);
}

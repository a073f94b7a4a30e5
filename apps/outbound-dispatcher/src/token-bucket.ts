/** Milliseconds since the epoch; injected so the math is testable without waiting. */
export type Clock = () => number;

const WINDOW_MS = 60000;
/**
 * How much later than its token was spent a request may reach PagerDuty: the fence query and
 * the connection come in between, and on a loaded machine they take tens to hundreds of ms.
 * PagerDuty counts arrivals, so a token is remembered for the window plus this spread: a
 * request spent early and delivered late can never share a 60 s window at PagerDuty with the
 * one its expiry allowed (issue #16: 121 writes in one window at 120/min). Costs at most
 * 1/61 of the rate under a sustained backlog.
 */
export const SEND_SPREAD_MS = 1000;
/** A spent token counts against the rate while it is at most this old (both ends included). */
const REMEMBERED_MS = WINDOW_MS + SEND_SPREAD_MS;

/**
 * One integration's request budget against PagerDuty (FACTS §2.7: a per-token limit per
 * minute; `rate_limit` is configured per integration).
 *
 * - A token bucket refilled at rate/60 per second with a bounded burst
 *   (capacity = max(1, floor(rate/6)), i.e. ten seconds' worth).
 * - A sliding log of spent tokens on top: a bucket alone allows burst + rate requests in
 *   the first minute, the log guarantees that no 60 s window ever holds more than `rate`, at
 *   PagerDuty too (tokens are remembered for 60 s + SEND_SPREAD_MS, see there).
 * - `pause(ms)` empties the bucket and blocks it, for a 429 (`ratelimit-reset`) or backoff.
 *
 * Every request spends a token: first tries, retries and idempotency look-ups alike.
 */
export class TokenBucket {
  private ratePerMinute: number;
  private tokens: number;
  private refilledAt: number;
  private blockedUntil = 0;
  /** Times of spent tokens within the last window, oldest first. */
  private readonly spent: number[] = [];

  constructor(ratePerMinute: number, private readonly clock: Clock = Date.now) {
    this.ratePerMinute = Math.max(1, Math.floor(ratePerMinute));
    this.tokens = this.capacity;
    this.refilledAt = clock();
  }

  get capacity(): number {
    return Math.max(1, Math.floor(this.ratePerMinute / 6));
  }

  get rate(): number {
    return this.ratePerMinute;
  }

  /** Applies a new `rate_limit` live; tokens already held are kept up to the new capacity. */
  setRate(ratePerMinute: number): void {
    const rate = Math.max(1, Math.floor(ratePerMinute));
    if (rate === this.ratePerMinute) return;
    this.refill();
    this.ratePerMinute = rate;
    this.tokens = Math.min(this.tokens, this.capacity);
  }

  /** Whole tokens that could be spent right now. */
  available(): number {
    this.refill();
    const now = this.clock();
    if (now < this.blockedUntil) return 0;
    this.forget(now);
    return Math.max(0, Math.min(Math.floor(this.tokens), this.ratePerMinute - this.spent.length));
  }

  /** 0 when a token can be taken now, else how long until one can. */
  msUntilAvailable(): number {
    this.refill();
    const now = this.clock();
    this.forget(now);
    const waits = [0];
    if (now < this.blockedUntil) waits.push(this.blockedUntil - now);
    if (this.tokens < 1) waits.push(Math.ceil(((1 - this.tokens) * WINDOW_MS) / this.ratePerMinute));
    const oldest = this.spent[0];
    if (this.spent.length >= this.ratePerMinute && oldest !== undefined) waits.push(oldest + REMEMBERED_MS + 1 - now);
    return Math.max(...waits);
  }

  /** Spends one token when one is available. */
  tryTake(): boolean {
    if (this.msUntilAvailable() > 0) return false;
    this.tokens -= 1;
    this.spent.push(this.clock());
    return true;
  }

  /** Nothing may be sent for `ms` (429 or backoff); the burst starts empty afterwards. */
  pause(ms: number): void {
    this.refill();
    this.tokens = 0;
    this.blockedUntil = Math.max(this.blockedUntil, this.clock() + Math.max(0, ms));
    this.refilledAt = Math.max(this.refilledAt, this.blockedUntil);
  }

  private refill(): void {
    const now = this.clock();
    if (now <= this.refilledAt) return;
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.refilledAt) * this.ratePerMinute) / WINDOW_MS);
    this.refilledAt = now;
  }

  private forget(now: number): void {
    while (this.spent.length > 0 && (this.spent[0] ?? 0) < now - REMEMBERED_MS) this.spent.shift();
  }
}

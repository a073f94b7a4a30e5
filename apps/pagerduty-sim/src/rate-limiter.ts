/**
 * Per-token request limits (FACTS §2.7): a fixed window per bucket (account key, or the user
 * behind user keys) plus operation-specific windows (POST /incidents). Pure apart from the
 * clock passed in. The headers report whichever limit is closest to being hit.
 */
export interface RateLimits { perWindow: number; createPerWindow: number; windowMs: number }
export interface RateDecision { allowed: boolean; limit: number; remaining: number; resetSeconds: number }

interface Window { start: number; count: number }

export class RateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(public limits: RateLimits) {}

  check(bucket: string, isCreate: boolean, now: number): RateDecision {
    const general = this.take(`all:${bucket}`, this.limits.perWindow, now);
    const decisions = [general];
    if (isCreate) decisions.push(this.take(`create:${bucket}`, this.limits.createPerWindow, now));
    const denied = decisions.find((d) => !d.allowed);
    if (denied) return denied;
    return decisions.reduce((a, b) => (b.remaining < a.remaining ? b : a));
  }

  reset(): void {
    this.windows.clear();
  }

  private take(key: string, limit: number, now: number): RateDecision {
    let w = this.windows.get(key);
    if (!w || now >= w.start + this.limits.windowMs) {
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    const resetSeconds = Math.max(1, Math.ceil((w.start + this.limits.windowMs - now) / 1000));
    if (w.count >= limit) return { allowed: false, limit, remaining: 0, resetSeconds };
    w.count += 1;
    return { allowed: true, limit, remaining: limit - w.count, resetSeconds };
  }
}

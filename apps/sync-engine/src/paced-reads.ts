import { AppError } from '@incident-sync/contracts';
import type { IntegrationRuntimeConfig } from '@incident-sync/integration-config-client';
import type { PagerDutyReads } from './pagerduty-reads.service';

/** A paced read that finds no token waits for one this many times before it is an error. */
const READ_ATTEMPTS = 5;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Spacing between two background reads (reconcile, backfill) so they stay within `reconcile_budget_percent` of the rate limit. */
export function requestSpacingMs(config: Pick<IntegrationRuntimeConfig, 'rateLimitPerMinute' | 'reconcileBudgetPercent'>): number {
  const perMinute = Math.max(0.01, (config.rateLimitPerMinute * config.reconcileBudgetPercent) / 100);
  return Math.ceil(60000 / perMinute);
}

/**
 * Background PagerDuty reads of one integration (a reconcile pass, a backfill job): each takes a
 * `reconcile`-priority token from the integration's shared budget (live writes come first), they
 * are spaced to the integration's background share, and a read that finds no token (or a 429)
 * waits as told a few times before it fails.
 */
export class PacedReads {
  requests = 0;
  private lastRequestAt = 0;
  private readonly spacingMs: number;

  constructor(private readonly reads: PagerDutyReads, private readonly config: IntegrationRuntimeConfig) {
    this.spacingMs = requestSpacingMs(config);
  }

  /**
   * Waits for this job's next background slot without sending anything itself: the outbound
   * backfill spends its slots on creates the dispatcher sends (with the integration's write
   * tokens), so reads and creates of one job together stay within the background share.
   */
  async pace(): Promise<void> {
    const wait = this.lastRequestAt + this.spacingMs - Date.now();
    if (wait > 0) await sleep(wait);
    this.lastRequestAt = Date.now();
  }

  async run<T>(what: string, call: Parameters<PagerDutyReads['run']>[2]): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      await this.pace();
      try {
        this.requests += 1;
        return (await this.reads.run(this.config, what, call, 'reconcile')) as T;
      } catch (error) {
        if (!(error instanceof AppError && error.code === 'RATE_LIMITED') || attempt >= READ_ATTEMPTS) throw error;
        await sleep(Math.min(30000, Number((error.details as { retryAfterMs?: number } | undefined)?.retryAfterMs ?? 1000)));
      }
    }
  }
}

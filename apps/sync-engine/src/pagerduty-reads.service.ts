import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError } from '@incident-sync/contracts';
import type { IntegrationRuntimeConfig } from '@incident-sync/integration-config-client';
import { PagerDutyApiError, PagerDutyClient, PagerDutyClientOptions, pagerDutyRequestMetrics } from '@incident-sync/pagerduty';
import { BudgetPriority, PagerDutyBudget } from '@incident-sync/persistence';
import { Metrics } from '@incident-sync/service-runtime';
import { pagerDutyClientFor } from './pagerduty-clients';

export const PD_READ_MAX_WAIT_MS = Symbol('PD_READ_MAX_WAIT_MS');

/** A 429 without `ratelimit-reset` pauses the integration this long. */
const DEFAULT_429_PAUSE_MS = 10000;
/**
 * PagerDuty unreachable (connection refused, timeout): the integration's calls pause this long,
 * so a burst of webhooks for it parks at once instead of each spending a connect timeout on
 * the partition its neighbours share (issue #13 §5).
 */
const UNREACHABLE_PAUSE_MS = 5000;

/**
 * Every PagerDuty request the sync-engine makes (users, priorities, log entries, on-call)
 * goes through here: it first takes a token from the integration's budget shared with the
 * outbound-dispatcher (pagerduty_budget.token_bucket, `read` priority: live writes keep the
 * last tokens of each burst), and a 429 pauses that integration's budget until
 * `ratelimit-reset` for every service and replica (an unreachable PagerDuty pauses it
 * briefly too). When no token comes within
 * `PD_READ_MAX_WAIT_MS` the call fails with a transient RATE_LIMITED carrying the wait, so a
 * consumer parks the message (its key waits, other keys flow) instead of holding the partition.
 */
@Injectable()
export class PagerDutyReads {
  private readonly budget: PagerDutyBudget;
  /** `incident_sync_pagerduty_requests_total` and friends (libs/pagerduty pagerduty-metrics.ts). */
  private readonly onResponse: PagerDutyClientOptions['onResponse'];

  constructor(dataSource: DataSource, @Inject(PD_READ_MAX_WAIT_MS) private readonly maxWaitMs: number, @Optional() metrics?: Metrics) {
    this.budget = new PagerDutyBudget(dataSource);
    this.onResponse = metrics ? pagerDutyRequestMetrics(metrics) : undefined;
  }

  async run<T>(config: IntegrationRuntimeConfig, what: string, call: (client: PagerDutyClient) => Promise<T>, priority: BudgetPriority = 'read'): Promise<T> {
    await this.take(config, what, priority);
    try {
      return await call(pagerDutyClientFor(config, this.onResponse));
    } catch (error) {
      if (error instanceof PagerDutyApiError && error.status === 429) {
        const waitMs = error.rateLimitResetSeconds !== null ? Math.max(1000, error.rateLimitResetSeconds * 1000) : DEFAULT_429_PAUSE_MS;
        await this.budget.pause(config.id, waitMs);
        throw new AppError('RATE_LIMITED', `${error.message}; PagerDuty calls of integration ${config.id} paused for ${waitMs} ms`, undefined, { retryAfterMs: waitMs });
      }
      if (error instanceof PagerDutyApiError && error.status === 0) {
        await this.budget.pause(config.id, UNREACHABLE_PAUSE_MS);
        throw new AppError('UPSTREAM_UNAVAILABLE', `${error.message}; PagerDuty calls of integration ${config.id} paused for ${UNREACHABLE_PAUSE_MS} ms`, undefined, { retryAfterMs: UNREACHABLE_PAUSE_MS });
      }
      throw error;
    }
  }

  private async take(config: IntegrationRuntimeConfig, what: string, priority: BudgetPriority): Promise<void> {
    const deadline = Date.now() + this.maxWaitMs;
    for (;;) {
      const take = await this.budget.tryTake(config.id, config.rateLimitPerMinute, priority);
      if (take.granted) return;
      if (take.paused || Date.now() + take.waitMs > deadline) {
        throw new AppError('RATE_LIMITED', `PagerDuty budget of integration ${config.id} has no token for ${what} for ${take.waitMs} ms${take.paused ? ' (paused)' : ''}`, undefined, { retryAfterMs: take.waitMs });
      }
      await new Promise((resolve) => setTimeout(resolve, take.waitMs));
    }
  }
}

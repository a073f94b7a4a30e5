import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BudgetTake, PagerDutyBudget } from '@incident-sync/persistence';

/**
 * The dispatcher's side of the PagerDuty budget it shares with the sync-engine's reads
 * (pagerduty_budget.token_bucket; docs/ARCHITECTURE.md "Ordering and failure model"). The
 * local TokenBucket still paces this instance; this makes every request also count against
 * the integration's one budget across services and replicas, at `write` priority (reads may
 * not take the last tokens of a burst), and makes a 429 seen by anyone pause everyone.
 */
@Injectable()
export class SharedBudgetHook {
  private readonly budget: PagerDutyBudget;

  constructor(dataSource: DataSource) {
    this.budget = new PagerDutyBudget(dataSource);
  }

  /**
   * Takes a write token of the integration's shared budget now, or says how long until one
   * could be had. It does not wait: the caller re-checks its lease between tries, so a worker
   * whose lease moved on while it waited takes nothing (unit-dispatch.service.ts).
   */
  async tryTakeWrite(integrationId: string, ratePerMinute: number): Promise<BudgetTake> {
    return this.budget.tryTake(integrationId, ratePerMinute, 'write');
  }

  /** PagerDuty answered 429: nobody sends with this token until `ms` passed. */
  async pause(integrationId: string, ms: number): Promise<void> {
    await this.budget.pause(integrationId, ms);
  }
}

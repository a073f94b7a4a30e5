import { MigrationInterface, QueryRunner } from 'typeorm';
import { pagerDutyBudgetV1Up } from '@incident-sync/persistence';

/**
 * The per-integration PagerDuty request budget shared by outbound-dispatcher and sync-engine
 * (schema `pagerduty_budget`; whichever service migrates first creates it). Not dropped on
 * down: the other service may still use it.
 */
export class PagerDutyBudget1796000000001 implements MigrationInterface {
  name = 'PagerDutyBudget1796000000001';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of pagerDutyBudgetV1Up()) await q.query(sql);
  }

  async down(): Promise<void> {
    // Shared with the other service: left in place.
  }
}

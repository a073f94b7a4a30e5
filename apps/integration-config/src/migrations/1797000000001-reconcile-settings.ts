import { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@incident-sync/persistence';

/** Drift reconciliation settings per integration (issue #14): interval and share of the rate limit. */
export class ReconcileSettings1797000000001 implements MigrationInterface {
  name = 'ReconcileSettings1797000000001';

  async up(q: QueryRunner): Promise<void> {
    const t = `"${schemaOf(q.connection)}"."integration"`;
    await q.query(`ALTER TABLE ${t} ADD "reconcile_interval_seconds" integer NOT NULL DEFAULT 300`);
    await q.query(`ALTER TABLE ${t} ADD "reconcile_budget_percent" integer NOT NULL DEFAULT 10`);
    await q.query(`ALTER TABLE ${t} ADD CONSTRAINT "CK_integration_reconcile_interval" CHECK ("reconcile_interval_seconds" >= 1)`);
    await q.query(`ALTER TABLE ${t} ADD CONSTRAINT "CK_integration_reconcile_budget" CHECK ("reconcile_budget_percent" BETWEEN 1 AND 50)`);
  }

  async down(q: QueryRunner): Promise<void> {
    const t = `"${schemaOf(q.connection)}"."integration"`;
    await q.query(`ALTER TABLE ${t} DROP CONSTRAINT "CK_integration_reconcile_budget"`);
    await q.query(`ALTER TABLE ${t} DROP CONSTRAINT "CK_integration_reconcile_interval"`);
    await q.query(`ALTER TABLE ${t} DROP COLUMN "reconcile_budget_percent"`);
    await q.query(`ALTER TABLE ${t} DROP COLUMN "reconcile_interval_seconds"`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@incident-sync/persistence';

/**
 * Outbound backfill (issue #14): a job's platform → PagerDuty part (counts, unmapped incidents,
 * a dry run's plan) in `backfill_job.outbound` (null for an inbound job). Its items reuse
 * `backfill_item` with side `platform` (ref = platform incident id).
 */
export class BackfillOutbound1798200000000 implements MigrationInterface {
  name = 'BackfillOutbound1798200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "${schemaOf(q.connection)}"."backfill_job" ADD "outbound" jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "${schemaOf(q.connection)}"."backfill_job" DROP COLUMN "outbound"`);
  }
}

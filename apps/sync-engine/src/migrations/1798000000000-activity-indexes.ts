import { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@incident-sync/persistence';

/**
 * The status page's recent activity (GET /api/v1/integrations/:ref/activity): an integration's
 * newest decisions and newest settled writes, read by index instead of sorting every row.
 */
export class ActivityIndexes1798000000000 implements MigrationInterface {
  name = 'ActivityIndexes1798000000000';

  async up(q: QueryRunner): Promise<void> {
    const s = `"${schemaOf(q.connection)}"`;
    await q.query(`CREATE INDEX "IX_sync_decision_integration" ON ${s}."sync_decision" ("integration_id", "seq")`);
    await q.query(`CREATE INDEX "IX_outbound_write_settled" ON ${s}."outbound_write" ("integration_id", "settled_at") WHERE "settled_at" IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = `"${schemaOf(q.connection)}"`;
    await q.query(`DROP INDEX ${s}."IX_outbound_write_settled"`);
    await q.query(`DROP INDEX ${s}."IX_sync_decision_integration"`);
  }
}

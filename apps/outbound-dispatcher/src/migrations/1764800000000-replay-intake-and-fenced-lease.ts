import { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@incident-sync/persistence';

/**
 * Issue #13 (3, 4):
 *  - `pending_command` is keyed by `intake_id` (the command id, or for a DLQ replay a key
 *    derived from the command id and the replay id), so a replayed command is stored as a
 *    new row instead of being swallowed by the failed row it was replayed from;
 *  - `claim_token`/`claim_until`: the lease's fencing token under which a row was last
 *    claimed for a PagerDuty request, checked on every settle;
 *  - `integration_lease.fencing_token` (+1 on every change of hands) and `paused_until` (a
 *    429 pause survives a handover).
 */
export class ReplayIntakeAndFencedLease1764800000000 implements MigrationInterface {
  name = 'ReplayIntakeAndFencedLease1764800000000';

  async up(q: QueryRunner): Promise<void> {
    const s = `"${schemaOf(q.connection)}"`;
    await q.query(`ALTER TABLE ${s}."pending_command" ADD "intake_id" uuid`);
    await q.query(`UPDATE ${s}."pending_command" SET "intake_id" = "command_id"`);
    await q.query(`ALTER TABLE ${s}."pending_command" ALTER COLUMN "intake_id" SET NOT NULL`);
    await q.query(`ALTER TABLE ${s}."pending_command" DROP CONSTRAINT "PK_pending_command"`);
    await q.query(`ALTER TABLE ${s}."pending_command" ADD CONSTRAINT "PK_pending_command" PRIMARY KEY ("intake_id")`);
    await q.query(`CREATE INDEX "IX_pending_command_command" ON ${s}."pending_command" ("command_id")`);
    await q.query(`ALTER TABLE ${s}."pending_command" ADD "replay_of" varchar(200)`);
    await q.query(`ALTER TABLE ${s}."pending_command" ADD "claim_token" bigint`);
    await q.query(`ALTER TABLE ${s}."pending_command" ADD "claim_until" timestamptz`);
    await q.query(`ALTER TABLE ${s}."integration_lease" ADD "fencing_token" bigint NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE ${s}."integration_lease" ADD "paused_until" timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = `"${schemaOf(q.connection)}"`;
    await q.query(`ALTER TABLE ${s}."integration_lease" DROP COLUMN "paused_until"`);
    await q.query(`ALTER TABLE ${s}."integration_lease" DROP COLUMN "fencing_token"`);
    await q.query(`ALTER TABLE ${s}."pending_command" DROP COLUMN "claim_until"`);
    await q.query(`ALTER TABLE ${s}."pending_command" DROP COLUMN "claim_token"`);
    await q.query(`ALTER TABLE ${s}."pending_command" DROP COLUMN "replay_of"`);
    await q.query(`DROP INDEX ${s}."IX_pending_command_command"`);
    await q.query(`DELETE FROM ${s}."pending_command" WHERE "intake_id" <> "command_id"`);
    await q.query(`ALTER TABLE ${s}."pending_command" DROP CONSTRAINT "PK_pending_command"`);
    await q.query(`ALTER TABLE ${s}."pending_command" ADD CONSTRAINT "PK_pending_command" PRIMARY KEY ("command_id")`);
    await q.query(`ALTER TABLE ${s}."pending_command" DROP COLUMN "intake_id"`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@incident-sync/persistence';

/**
 * Backfill (issue #14): one row per job (`backfill_job`; at most one running per integration,
 * by a partial unique index, so a second invocation finds the running one instead of starting
 * another), and one row per incident a backfill queued (`backfill_item`), written in the same
 * transaction as the synthetic observation it publishes: a job resumed after a crash or a
 * second run never queues an incident twice.
 */
export class Backfill1797100000000 implements MigrationInterface {
  name = 'Backfill1797100000000';

  async up(q: QueryRunner): Promise<void> {
    const schema = schemaOf(q.connection);
    const s = `"${schema}"`;
    await q.query(`CREATE TABLE ${s}."backfill_job" (
      "id" uuid NOT NULL,
      "organization_id" varchar(200) NOT NULL,
      "integration_id" varchar(200) NOT NULL,
      "direction" varchar(20) NOT NULL,
      "dry_run" boolean NOT NULL,
      "since" timestamptz NOT NULL,
      "until" timestamptz NOT NULL,
      "status" varchar(20) NOT NULL,
      "created_at" timestamptz NOT NULL,
      "finished_at" timestamptz,
      "heartbeat_at" timestamptz NOT NULL,
      "owner" varchar(100),
      "runs" integer NOT NULL DEFAULT 1,
      "requests" integer NOT NULL DEFAULT 0,
      "counts" jsonb NOT NULL,
      "plan" jsonb NOT NULL DEFAULT '[]',
      "errors" jsonb NOT NULL DEFAULT '[]',
      CONSTRAINT "PK_${schema}_backfill_job" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "UQ_backfill_job_running" ON ${s}."backfill_job" ("integration_id") WHERE "status" = 'running'`);
    await q.query(`CREATE INDEX "IX_backfill_job_integration" ON ${s}."backfill_job" ("integration_id", "created_at")`);
    await q.query(`CREATE TABLE ${s}."backfill_item" (
      "integration_id" varchar(200) NOT NULL,
      "side" varchar(20) NOT NULL,
      "ref" varchar(200) NOT NULL,
      "job_id" uuid NOT NULL,
      "queued_at" timestamptz NOT NULL,
      CONSTRAINT "PK_${schema}_backfill_item" PRIMARY KEY ("integration_id", "side", "ref"))`);
    await q.query(`CREATE INDEX "IX_backfill_item_job" ON ${s}."backfill_item" ("job_id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = `"${schemaOf(q.connection)}"`;
    await q.query(`DROP TABLE ${s}."backfill_item"`);
    await q.query(`DROP TABLE ${s}."backfill_job"`);
  }
}

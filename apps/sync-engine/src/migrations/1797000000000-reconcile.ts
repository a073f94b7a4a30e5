import { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@incident-sync/persistence';

/**
 * Drift reconciliation (issue #14): one row per pass (`reconcile_run`, what sync-status shows),
 * one schedule/lease row per integration (`reconcile_schedule`: one pass at a time across
 * replicas, and when the last one finished) and when each link was last read (`reconcile_check`,
 * the rotation of open linked incidents).
 */
export class Reconcile1797000000000 implements MigrationInterface {
  name = 'Reconcile1797000000000';

  async up(q: QueryRunner): Promise<void> {
    const schema = schemaOf(q.connection);
    const s = `"${schema}"`;
    await q.query(`CREATE TABLE ${s}."reconcile_run" (
      "id" uuid NOT NULL,
      "organization_id" varchar(200) NOT NULL,
      "integration_id" varchar(200) NOT NULL,
      "trigger" varchar(20) NOT NULL,
      "dry_run" boolean NOT NULL,
      "since" timestamptz,
      "started_at" timestamptz NOT NULL,
      "finished_at" timestamptz NOT NULL,
      "duration_ms" integer NOT NULL,
      "incidents_checked" integer NOT NULL,
      "requests" integer NOT NULL,
      "repairs" jsonb NOT NULL,
      "drift" jsonb NOT NULL,
      "errors" jsonb NOT NULL,
      CONSTRAINT "PK_${schema}_reconcile_run" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "IX_reconcile_run_integration" ON ${s}."reconcile_run" ("integration_id", "started_at")`);
    await q.query(`CREATE TABLE ${s}."reconcile_schedule" (
      "integration_id" varchar(200) NOT NULL,
      "last_finished_at" timestamptz,
      "lease_owner" varchar(100),
      "lease_until" timestamptz,
      CONSTRAINT "PK_${schema}_reconcile_schedule" PRIMARY KEY ("integration_id"))`);
    await q.query(`CREATE TABLE ${s}."reconcile_check" (
      "link_id" uuid NOT NULL,
      "integration_id" varchar(200) NOT NULL,
      "checked_at" timestamptz NOT NULL,
      CONSTRAINT "PK_${schema}_reconcile_check" PRIMARY KEY ("link_id"))`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = `"${schemaOf(q.connection)}"`;
    await q.query(`DROP TABLE ${s}."reconcile_check"`);
    await q.query(`DROP TABLE ${s}."reconcile_schedule"`);
    await q.query(`DROP TABLE ${s}."reconcile_run"`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';
import { inboxOutboxV1Down, inboxOutboxV1Up, schemaOf } from '@incident-sync/persistence';

export class InitOutboundDispatcher1764197000000 implements MigrationInterface {
  name = 'InitOutboundDispatcher1764197000000';

  async up(q: QueryRunner): Promise<void> {
    const schema = schemaOf(q.connection);
    const s = `"${schema}"`;
    for (const sql of inboxOutboxV1Up(schema)) await q.query(sql);
    await q.query(`CREATE TABLE ${s}."pending_command" (
      "command_id" uuid NOT NULL,
      "seq" BIGSERIAL NOT NULL,
      "integration_id" varchar(200) NOT NULL,
      "organization_id" varchar(200) NOT NULL,
      "platform_incident_id" uuid NOT NULL,
      "pd_incident_id" varchar(200),
      "action" varchar(40) NOT NULL,
      "payload" text NOT NULL,
      "headers" jsonb NOT NULL DEFAULT '{}'::jsonb,
      "source_partition" integer,
      "source_offset" varchar(40),
      "status" varchar(20) NOT NULL DEFAULT 'pending',
      "attempts" integer NOT NULL DEFAULT 0,
      "next_attempt_at" timestamptz NOT NULL DEFAULT now(),
      "create_outcome_unknown" boolean NOT NULL DEFAULT false,
      "received_at" timestamptz NOT NULL DEFAULT now(),
      "first_failed_at" timestamptz,
      "last_error" text,
      "completed_at" timestamptz,
      "result_id" uuid,
      CONSTRAINT "PK_pending_command" PRIMARY KEY ("command_id"),
      CONSTRAINT "CK_pending_command_status" CHECK ("status" IN ('pending', 'done', 'failed')))`);
    await q.query(`CREATE INDEX "IX_pending_command_work" ON ${s}."pending_command" ("integration_id", "seq") WHERE "status" = 'pending'`);
    await q.query(`CREATE INDEX "IX_pending_command_settled" ON ${s}."pending_command" ("completed_at") WHERE "status" <> 'pending'`);
    await q.query(`CREATE TABLE ${s}."created_incident" (
      "integration_id" varchar(200) NOT NULL,
      "platform_incident_id" uuid NOT NULL,
      "pd_incident_id" varchar(200) NOT NULL,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT "PK_created_incident" PRIMARY KEY ("integration_id", "platform_incident_id"))`);
    await q.query(`CREATE TABLE ${s}."dispatcher_stats" (
      "integration_id" varchar(200) NOT NULL,
      "last_success_at" timestamptz,
      "last_error_at" timestamptz,
      "last_error_message" text,
      "rate_limited_429_count" bigint NOT NULL DEFAULT 0,
      "dead_lettered_count" bigint NOT NULL DEFAULT 0,
      "requests_total" bigint NOT NULL DEFAULT 0,
      CONSTRAINT "PK_dispatcher_stats" PRIMARY KEY ("integration_id"))`);
    await q.query(`CREATE TABLE ${s}."integration_lease" (
      "integration_id" varchar(200) NOT NULL,
      "owner" varchar(200) NOT NULL,
      "expires_at" timestamptz NOT NULL,
      CONSTRAINT "PK_integration_lease" PRIMARY KEY ("integration_id"))`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = `"${schemaOf(q.connection)}"`;
    for (const table of ['integration_lease', 'dispatcher_stats', 'created_incident', 'pending_command']) await q.query(`DROP TABLE ${s}."${table}"`);
    for (const sql of inboxOutboxV1Down(schemaOf(q.connection))) await q.query(sql);
  }
}

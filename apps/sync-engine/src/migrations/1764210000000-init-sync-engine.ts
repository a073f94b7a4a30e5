import { MigrationInterface, QueryRunner } from 'typeorm';
import { inboxOutboxV1Down, inboxOutboxV1Up, schemaOf } from '@incident-sync/persistence';

/** Links with their sync state, decision history, conflicts, PagerDuty user cache, unknown users, our outbound writes. */
export class InitSyncEngine1764210000000 implements MigrationInterface {
  name = 'InitSyncEngine1764210000000';

  async up(q: QueryRunner): Promise<void> {
    const schema = schemaOf(q.connection);
    const s = `"${schema}"`;
    for (const sql of inboxOutboxV1Up(schema)) await q.query(sql);
    await q.query(`CREATE TABLE ${s}."incident_link" (
      "id" uuid NOT NULL,
      "organization_id" varchar(200) NOT NULL,
      "integration_id" varchar(200) NOT NULL,
      "platform_incident_id" uuid NOT NULL,
      "pd_incident_id" varchar(200),
      "pd_incident_number" integer,
      "pd_html_url" text,
      "state" jsonb NOT NULL,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      "last_synced_at" timestamptz,
      "last_direction" varchar(20),
      CONSTRAINT "PK_${schema}_incident_link" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "UQ_incident_link_platform" ON ${s}."incident_link" ("integration_id", "platform_incident_id")`);
    await q.query(`CREATE UNIQUE INDEX "UQ_incident_link_pd" ON ${s}."incident_link" ("integration_id", "pd_incident_id")`);
    await q.query(`CREATE INDEX "IX_incident_link_platform_incident" ON ${s}."incident_link" ("platform_incident_id")`);
    await q.query(`CREATE TABLE ${s}."sync_decision" (
      "seq" BIGSERIAL NOT NULL,
      "organization_id" varchar(200) NOT NULL,
      "integration_id" varchar(200) NOT NULL,
      "link_id" uuid,
      "platform_incident_id" uuid,
      "pd_incident_id" varchar(200),
      "source" varchar(40) NOT NULL,
      "source_id" varchar(300) NOT NULL,
      "event_type" varchar(120),
      "field" varchar(40),
      "side" varchar(20),
      "outcome" varchar(40) NOT NULL,
      "reason" text NOT NULL,
      "conflict_id" varchar(300),
      "command_id" varchar(300),
      "created_at" timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT "PK_${schema}_sync_decision" PRIMARY KEY ("seq"))`);
    await q.query(`CREATE INDEX "IX_sync_decision_platform" ON ${s}."sync_decision" ("platform_incident_id", "seq")`);
    await q.query(`CREATE INDEX "IX_sync_decision_pd" ON ${s}."sync_decision" ("integration_id", "pd_incident_id", "seq")`);
    await q.query(`CREATE TABLE ${s}."sync_conflict" (
      "id" uuid NOT NULL,
      "domain_conflict_id" varchar(300) NOT NULL,
      "organization_id" varchar(200) NOT NULL,
      "integration_id" varchar(200) NOT NULL,
      "link_id" uuid NOT NULL,
      "platform_incident_id" uuid NOT NULL,
      "pd_incident_id" varchar(200),
      "field" varchar(40) NOT NULL,
      "status" varchar(20) NOT NULL,
      "record" jsonb NOT NULL,
      "opened_at" timestamptz NOT NULL,
      "resolved_at" timestamptz,
      "resolved_by" varchar(300),
      "resolution" varchar(40),
      CONSTRAINT "PK_${schema}_sync_conflict" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "IX_sync_conflict_open" ON ${s}."sync_conflict" ("organization_id", "status", "opened_at")`);
    await q.query(`CREATE TABLE ${s}."pd_user" (
      "integration_id" varchar(200) NOT NULL,
      "pd_user_id" varchar(200) NOT NULL,
      "email" varchar(320) NOT NULL,
      "name" text,
      "fetched_at" timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT "PK_${schema}_pd_user" PRIMARY KEY ("integration_id", "pd_user_id"))`);
    await q.query(`CREATE INDEX "IX_pd_user_email" ON ${s}."pd_user" ("integration_id", lower("email"))`);
    await q.query(`CREATE TABLE ${s}."unknown_user" (
      "integration_id" varchar(200) NOT NULL,
      "side" varchar(20) NOT NULL,
      "key" varchar(320) NOT NULL,
      "first_seen_at" timestamptz NOT NULL DEFAULT now(),
      "last_seen_at" timestamptz NOT NULL DEFAULT now(),
      "count" integer NOT NULL DEFAULT 1,
      CONSTRAINT "PK_${schema}_unknown_user" PRIMARY KEY ("integration_id", "side", "key"))`);
    await q.query(`CREATE TABLE ${s}."outbound_write" (
      "command_id" uuid NOT NULL,
      "organization_id" varchar(200) NOT NULL,
      "integration_id" varchar(200) NOT NULL,
      "link_id" uuid NOT NULL,
      "platform_incident_id" uuid NOT NULL,
      "domain_command_id" varchar(300) NOT NULL,
      "action" varchar(40) NOT NULL,
      "issued_at" timestamptz NOT NULL DEFAULT now(),
      "settled_at" timestamptz,
      "outcome" varchar(20),
      "error" text,
      CONSTRAINT "PK_${schema}_outbound_write" PRIMARY KEY ("command_id"))`);
    await q.query(`CREATE INDEX "IX_outbound_write_open" ON ${s}."outbound_write" ("integration_id", "issued_at") WHERE "settled_at" IS NULL`);
    await q.query(`CREATE TABLE ${s}."inbound_progress" (
      "integration_id" varchar(200) NOT NULL,
      "last_received_at" timestamptz,
      "last_processed_at" timestamptz,
      "last_lag_ms" integer,
      "processed_total" bigint NOT NULL DEFAULT 0,
      CONSTRAINT "PK_${schema}_inbound_progress" PRIMARY KEY ("integration_id"))`);
  }

  async down(q: QueryRunner): Promise<void> {
    const schema = schemaOf(q.connection);
    const s = `"${schema}"`;
    for (const table of ['inbound_progress', 'outbound_write', 'unknown_user', 'pd_user', 'sync_conflict', 'sync_decision', 'incident_link']) {
      await q.query(`DROP TABLE IF EXISTS ${s}."${table}"`);
    }
    for (const sql of inboxOutboxV1Down(schema)) await q.query(sql);
  }
}

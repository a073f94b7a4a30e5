import { MigrationInterface, QueryRunner } from 'typeorm';
import { inboxOutboxV1Down, inboxOutboxV1Up, schemaOf } from '@incident-sync/persistence';

/**
 * Inbox/outbox, incidents, the per-organization number counter and the timeline.
 * The schema comes from the DataSource (`incidents`; int tests use their own).
 */
export class Init1795732605370 implements MigrationInterface {
  name = 'Init1795732605370';

  async up(queryRunner: QueryRunner): Promise<void> {
    const schema = schemaOf(queryRunner.connection);
    const s = `"${schema}"`;
    for (const sql of inboxOutboxV1Up(schema)) await queryRunner.query(sql);
    await queryRunner.query(`CREATE TABLE ${s}."incident" (
      "id" uuid NOT NULL,
      "organization_id" varchar(200) NOT NULL,
      "number" integer NOT NULL,
      "title" text NOT NULL,
      "description" text,
      "severity" varchar(10) NOT NULL CONSTRAINT "incident_severity_check" CHECK ("severity" IN ('SEV-1', 'SEV-2', 'SEV-3', 'SEV-4')),
      "status" varchar(20) NOT NULL CONSTRAINT "incident_status_check" CHECK ("status" IN ('open', 'mitigated', 'resolved', 'closed')),
      "assigned_to" varchar(320),
      "escalation_policy_id" varchar(200),
      "escalation_policy_name" text,
      "incident_type" varchar(200),
      "external_refs" jsonb NOT NULL DEFAULT '[]'::jsonb,
      "version" integer NOT NULL,
      "created_at" timestamptz NOT NULL,
      "updated_at" timestamptz NOT NULL,
      CONSTRAINT "PK_${schema}_incident" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "incident_org_number" ON ${s}."incident" ("organization_id", "number")`);
    await queryRunner.query(`CREATE INDEX "incident_org_updated" ON ${s}."incident" ("organization_id", "updated_at")`);
    await queryRunner.query(`CREATE TABLE ${s}."incident_counter" (
      "organization_id" varchar(200) NOT NULL,
      "last_number" integer NOT NULL,
      CONSTRAINT "PK_${schema}_incident_counter" PRIMARY KEY ("organization_id"))`);
    await queryRunner.query(`CREATE TABLE ${s}."timeline_entry" (
      "seq" BIGSERIAL NOT NULL,
      "id" uuid NOT NULL,
      "incident_id" uuid NOT NULL,
      "organization_id" varchar(200) NOT NULL,
      "kind" varchar(50) NOT NULL,
      "field" varchar(50),
      "old_value" text,
      "new_value" text,
      "message" text,
      "actor" varchar(320) NOT NULL,
      "origin_type" varchar(20) NOT NULL,
      "integration_id" varchar(200),
      "command_id" uuid,
      "created_at" timestamptz NOT NULL,
      CONSTRAINT "PK_${schema}_timeline_entry" PRIMARY KEY ("seq"),
      CONSTRAINT "UQ_${schema}_timeline_entry_id" UNIQUE ("id"),
      CONSTRAINT "FK_${schema}_timeline_entry_incident" FOREIGN KEY ("incident_id") REFERENCES ${s}."incident" ("id") ON DELETE CASCADE)`);
    await queryRunner.query(`CREATE INDEX "timeline_entry_incident_seq" ON ${s}."timeline_entry" ("incident_id", "seq")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(queryRunner.connection)}"`;
    await queryRunner.query(`DROP TABLE ${s}."timeline_entry"`);
    await queryRunner.query(`DROP TABLE ${s}."incident_counter"`);
    await queryRunner.query(`DROP TABLE ${s}."incident"`);
    for (const sql of inboxOutboxV1Down(schemaOf(queryRunner.connection))) await queryRunner.query(sql);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';
import { inboxOutboxV1Down, inboxOutboxV1Up, schemaOf } from '@incident-sync/persistence';

/** dlq-manager schema v1: dead letters, inbox/outbox. */
export class Init1795733594105 implements MigrationInterface {
  name = 'Init1795733594105';

  async up(q: QueryRunner): Promise<void> {
    const schema = schemaOf(q.connection);
    const S = `"${schema}"`;
    for (const sql of inboxOutboxV1Up(schema)) await q.query(sql);
    await q.query(`CREATE TABLE ${S}."dead_letter" (
      "id" uuid NOT NULL,
      "organization_id" varchar(200),
      "integration_id" varchar(200),
      "original_topic" varchar(200) NOT NULL,
      "dlq_topic" varchar(200) NOT NULL,
      "message_key" varchar(500),
      "payload" text NOT NULL,
      "headers" jsonb NOT NULL,
      "error_code" varchar(100) NOT NULL,
      "error_message" text NOT NULL,
      "retryable" boolean NOT NULL,
      "attempts" integer NOT NULL,
      "first_failed_at" timestamptz NOT NULL,
      "last_failed_at" timestamptz NOT NULL,
      "consumer_group" varchar(200),
      "partition" integer,
      "offset" varchar(30),
      "unreadable" boolean NOT NULL,
      "status" varchar(20) NOT NULL,
      "replay_count" integer NOT NULL,
      "last_replayed_at" timestamptz,
      "discarded_at" timestamptz,
      "last_actor" varchar(200),
      "created_at" timestamptz NOT NULL,
      CONSTRAINT "PK_dead_letter" PRIMARY KEY ("id"),
      CONSTRAINT "CK_dead_letter_status" CHECK ("status" IN ('pending', 'replayed', 'discarded')),
      CONSTRAINT "CK_dead_letter_replay_count" CHECK ("replay_count" >= 0)
    )`);
    await q.query(`CREATE INDEX "IX_dead_letter_org_created" ON ${S}."dead_letter" ("organization_id", "created_at" DESC, "id" DESC)`);
    await q.query(`CREATE INDEX "IX_dead_letter_integration_status" ON ${S}."dead_letter" ("integration_id", "status")`);
    await q.query(`CREATE INDEX "IX_dead_letter_topic_status" ON ${S}."dead_letter" ("original_topic", "status")`);
  }

  async down(q: QueryRunner): Promise<void> {
    const schema = schemaOf(q.connection);
    await q.query(`DROP TABLE "${schema}"."dead_letter"`);
    for (const sql of inboxOutboxV1Down(schema)) await q.query(sql);
  }
}

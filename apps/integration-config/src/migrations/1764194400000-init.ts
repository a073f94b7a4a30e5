import { MigrationInterface, QueryRunner } from 'typeorm';
import { inboxOutboxV1Down, inboxOutboxV1Up, schemaOf } from '@incident-sync/persistence';

/** integration-config schema v1: integrations, secrets, rules, mappings, API keys, inbox/outbox. */
export class Init1764194400000 implements MigrationInterface {
  name = 'Init1764194400000';

  async up(q: QueryRunner): Promise<void> {
    const schema = schemaOf(q.connection);
    const S = `"${schema}"`;
    for (const sql of inboxOutboxV1Up(schema)) await q.query(sql);
    await q.query(`CREATE TABLE ${S}."integration" (
      "id" uuid NOT NULL,
      "organization_id" varchar(200) NOT NULL,
      "slug" varchar(100) NOT NULL,
      "name" varchar(200) NOT NULL,
      "integration_type" varchar(30) NOT NULL,
      "base_url" text NOT NULL,
      "token_ciphertext" text NOT NULL,
      "token_last4" varchar(4) NOT NULL,
      "sync_direction" varchar(20) NOT NULL,
      "enabled" boolean NOT NULL,
      "conflict_strategy" varchar(30) NOT NULL,
      "sync_escalations" boolean NOT NULL,
      "rate_limit" integer NOT NULL,
      "backoff_multiplier" double precision NOT NULL,
      "from_email" varchar(320),
      "bot_user_id" varchar(100),
      "default_service_id" varchar(100),
      "priority_mapping" jsonb NOT NULL,
      "webhook_subscription_id" varchar(100),
      "version" integer NOT NULL,
      "created_at" timestamptz NOT NULL,
      "updated_at" timestamptz NOT NULL,
      CONSTRAINT "PK_integration" PRIMARY KEY ("id"),
      CONSTRAINT "CK_integration_rate_limit" CHECK ("rate_limit" > 0),
      CONSTRAINT "CK_integration_backoff" CHECK ("backoff_multiplier" >= 1)
    )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_integration_org_slug" ON ${S}."integration" ("organization_id", "slug")`);
    await q.query(`CREATE TABLE ${S}."webhook_secret" (
      "id" uuid NOT NULL,
      "integration_id" uuid NOT NULL REFERENCES ${S}."integration"("id") ON DELETE CASCADE,
      "ciphertext" text NOT NULL,
      "last4" varchar(4) NOT NULL,
      "created_at" timestamptz NOT NULL,
      CONSTRAINT "PK_webhook_secret" PRIMARY KEY ("id")
    )`);
    await q.query(`CREATE INDEX "IX_webhook_secret_integration" ON ${S}."webhook_secret" ("integration_id")`);
    await q.query(`CREATE TABLE ${S}."field_ownership_rule" (
      "integration_id" uuid NOT NULL REFERENCES ${S}."integration"("id") ON DELETE CASCADE,
      "field" varchar(50) NOT NULL,
      "owner" varchar(20) NOT NULL,
      "priority" integer NOT NULL,
      "updated_at" timestamptz NOT NULL,
      CONSTRAINT "PK_field_ownership_rule" PRIMARY KEY ("integration_id", "field")
    )`);
    await q.query(`CREATE TABLE ${S}."service_mapping" (
      "integration_id" uuid NOT NULL REFERENCES ${S}."integration"("id") ON DELETE CASCADE,
      "pd_service_id" varchar(100) NOT NULL,
      "incident_type" varchar(200) NOT NULL,
      "created_at" timestamptz NOT NULL,
      CONSTRAINT "PK_service_mapping" PRIMARY KEY ("integration_id", "pd_service_id")
    )`);
    await q.query(`CREATE TABLE ${S}."user_mapping" (
      "integration_id" uuid NOT NULL REFERENCES ${S}."integration"("id") ON DELETE CASCADE,
      "email" varchar(320) NOT NULL,
      "pd_user_id" varchar(100) NOT NULL,
      "created_at" timestamptz NOT NULL,
      CONSTRAINT "PK_user_mapping" PRIMARY KEY ("integration_id", "email")
    )`);
    await q.query(`CREATE TABLE ${S}."api_key" (
      "id" uuid NOT NULL,
      "organization_id" varchar(200) NOT NULL,
      "name" varchar(200) NOT NULL,
      "key_hash" char(64) NOT NULL,
      "prefix" varchar(20) NOT NULL,
      "created_at" timestamptz NOT NULL,
      "last_used_at" timestamptz,
      CONSTRAINT "PK_api_key" PRIMARY KEY ("id"),
      CONSTRAINT "UQ_api_key_hash" UNIQUE ("key_hash")
    )`);
    await q.query(`CREATE INDEX "IX_api_key_org" ON ${S}."api_key" ("organization_id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    const schema = schemaOf(q.connection);
    const S = `"${schema}"`;
    for (const table of ['api_key', 'user_mapping', 'service_mapping', 'field_ownership_rule', 'webhook_secret', 'integration']) {
      await q.query(`DROP TABLE ${S}."${table}"`);
    }
    for (const sql of inboxOutboxV1Down(schema)) await q.query(sql);
  }
}

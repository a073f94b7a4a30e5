import { MigrationInterface, QueryRunner } from 'typeorm';
import { inboxOutboxV1Down, inboxOutboxV1Up, schemaOf } from '@incident-sync/persistence';

export class InitWebhookIngress1764196000000 implements MigrationInterface {
  name = 'InitWebhookIngress1764196000000';

  async up(q: QueryRunner): Promise<void> {
    const schema = schemaOf(q.connection);
    const s = `"${schema}"`;
    for (const sql of inboxOutboxV1Up(schema)) await q.query(sql);
    await q.query(`CREATE TABLE ${s}."webhook_receipt" (
      "receipt_id" uuid NOT NULL,
      "integration_id" varchar(200) NOT NULL,
      "webhook_id" varchar(200),
      "event_id" varchar(200) NOT NULL,
      "event_type" varchar(200) NOT NULL,
      "pd_incident_id" varchar(200),
      "received_at" timestamptz NOT NULL,
      CONSTRAINT "PK_webhook_receipt" PRIMARY KEY ("receipt_id"))`);
    await q.query(`CREATE UNIQUE INDEX "UQ_webhook_receipt_webhook" ON ${s}."webhook_receipt" ("integration_id", "webhook_id")`);
    await q.query(`CREATE UNIQUE INDEX "UQ_webhook_receipt_event" ON ${s}."webhook_receipt" ("integration_id", "event_id")`);
    await q.query(`CREATE INDEX "IX_webhook_receipt_received_at" ON ${s}."webhook_receipt" ("received_at")`);
    await q.query(`CREATE TABLE ${s}."ingress_counter" (
      "integration_id" varchar(200) NOT NULL,
      "accepted_total" bigint NOT NULL DEFAULT 0,
      "duplicate_total" bigint NOT NULL DEFAULT 0,
      "rejected_signature_total" bigint NOT NULL DEFAULT 0,
      "ping_total" bigint NOT NULL DEFAULT 0,
      "last_received_at" timestamptz,
      "last_event_occurred_at" timestamptz,
      "last_rejected_at" timestamptz,
      CONSTRAINT "PK_ingress_counter" PRIMARY KEY ("integration_id"))`);
  }

  async down(q: QueryRunner): Promise<void> {
    const schema = schemaOf(q.connection);
    await q.query(`DROP TABLE "${schema}"."ingress_counter"`);
    await q.query(`DROP TABLE "${schema}"."webhook_receipt"`);
    for (const sql of inboxOutboxV1Down(schema)) await q.query(sql);
  }
}

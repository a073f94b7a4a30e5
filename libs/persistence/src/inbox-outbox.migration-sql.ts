/**
 * SQL of the inbox and outbox tables, version 1. Services' committed migrations call these,
 * so this text is FROZEN: never edit it (that would change landed migrations); add a V2.
 */
export function inboxOutboxV1Up(schema: string): string[] {
  const s = `"${schema}"`;
  return [
    `CREATE TABLE ${s}."inbox_message" ("consumer" varchar(200) NOT NULL, "message_id" varchar(200) NOT NULL, "processed_at" timestamptz NOT NULL DEFAULT now(), CONSTRAINT "PK_${schema}_inbox" PRIMARY KEY ("consumer", "message_id"))`,
    `CREATE TABLE ${s}."outbox_message" ("seq" BIGSERIAL NOT NULL, "message_id" varchar(200) NOT NULL, "topic" varchar(200) NOT NULL, "message_key" varchar(300), "payload" text NOT NULL, "headers" jsonb NOT NULL DEFAULT '{}'::jsonb, "created_at" timestamptz NOT NULL DEFAULT now(), "published_at" timestamptz, CONSTRAINT "PK_${schema}_outbox" PRIMARY KEY ("seq"), CONSTRAINT "UQ_${schema}_outbox_message_id" UNIQUE ("message_id"))`,
    `CREATE INDEX "outbox_message_unpublished" ON ${s}."outbox_message" ("seq") WHERE published_at IS NULL`,
  ];
}

export function inboxOutboxV1Down(schema: string): string[] {
  return [`DROP TABLE "${schema}"."outbox_message"`, `DROP TABLE "${schema}"."inbox_message"`];
}

/**
 * SQL of the parked-message table, version 1 (docs/ARCHITECTURE.md "Ordering and failure
 * model"): the consumer base parks a record that failed transiently, and every later record
 * with the same key behind it, in the consuming service's own schema. FROZEN once landed in a
 * migration: add a V2, never edit.
 */
export function parkedMessageV1Up(schema: string): string[] {
  const s = `"${schema}"`;
  return [
    `CREATE TABLE ${s}."parked_message" (
      "seq" BIGSERIAL NOT NULL,
      "consumer_group" varchar(200) NOT NULL,
      "topic" varchar(200) NOT NULL,
      "park_key" varchar(300) NOT NULL,
      "partition" integer NOT NULL,
      "kafka_offset" varchar(40) NOT NULL,
      "message_key" varchar(300),
      "payload" text NOT NULL,
      "headers" jsonb NOT NULL DEFAULT '{}'::jsonb,
      "organization_id" varchar(200),
      "integration_id" varchar(200),
      "attempts" integer NOT NULL DEFAULT 0,
      "parked_at" timestamptz NOT NULL DEFAULT now(),
      "first_failed_at" timestamptz,
      "next_attempt_at" timestamptz NOT NULL DEFAULT now(),
      "last_error_code" varchar(100),
      "last_error" text,
      "history" jsonb NOT NULL DEFAULT '[]'::jsonb,
      "lease_owner" varchar(100),
      "lease_until" timestamptz,
      CONSTRAINT "PK_${schema}_parked_message" PRIMARY KEY ("seq"),
      CONSTRAINT "UQ_${schema}_parked_message_record" UNIQUE ("consumer_group", "topic", "partition", "kafka_offset"))`,
    `CREATE INDEX "IX_parked_message_key" ON ${s}."parked_message" ("consumer_group", "topic", "park_key", "seq")`,
    `CREATE INDEX "IX_parked_message_integration" ON ${s}."parked_message" ("integration_id", "parked_at")`,
  ];
}

export function parkedMessageV1Down(schema: string): string[] {
  return [`DROP TABLE "${schema}"."parked_message"`];
}

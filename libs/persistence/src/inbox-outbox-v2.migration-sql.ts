/**
 * Outbox version 2: a row the broker can never accept (too large even alone) is set aside
 * with its reason instead of blocking the relay; later rows with its key are held until it
 * is released (see OutboxRelay). Services' committed migrations call these, so this text is
 * FROZEN once landed: add a V3 instead of editing it.
 */
export function outboxSetAsideV2Up(schema: string): string[] {
  const s = `"${schema}"`;
  return [
    `ALTER TABLE ${s}."outbox_message" ADD "set_aside_at" timestamptz`,
    `ALTER TABLE ${s}."outbox_message" ADD "set_aside_reason" text`,
    `ALTER TABLE ${s}."outbox_message" ADD "released_at" timestamptz`,
    `CREATE INDEX "outbox_message_held" ON ${s}."outbox_message" ("message_key") WHERE set_aside_at IS NOT NULL AND released_at IS NULL`,
  ];
}

export function outboxSetAsideV2Down(schema: string): string[] {
  const s = `"${schema}"`;
  return [
    `DROP INDEX ${s}."outbox_message_held"`,
    `ALTER TABLE ${s}."outbox_message" DROP COLUMN "released_at"`,
    `ALTER TABLE ${s}."outbox_message" DROP COLUMN "set_aside_reason"`,
    `ALTER TABLE ${s}."outbox_message" DROP COLUMN "set_aside_at"`,
  ];
}

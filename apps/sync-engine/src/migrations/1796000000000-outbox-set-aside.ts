import { MigrationInterface, QueryRunner } from 'typeorm';
import { outboxSetAsideV2Down, outboxSetAsideV2Up, schemaOf } from '@incident-sync/persistence';

/** Outbox rows the broker can never accept are set aside with their reason (libs/persistence OutboxRelay). */
export class OutboxSetAside1796000000000 implements MigrationInterface {
  name = 'OutboxSetAside1796000000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of outboxSetAsideV2Up(schemaOf(q.connection))) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of outboxSetAsideV2Down(schemaOf(q.connection))) await q.query(sql);
  }
}

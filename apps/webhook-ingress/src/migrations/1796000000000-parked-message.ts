import { MigrationInterface, QueryRunner } from 'typeorm';
import { parkedMessageV1Down, parkedMessageV1Up, schemaOf } from '@incident-sync/persistence';

/** The consumer base parks transiently failing records here, per key (docs/ARCHITECTURE.md "Ordering and failure model"). */
export class ParkedMessage1796000000000 implements MigrationInterface {
  name = 'ParkedMessage1796000000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of parkedMessageV1Up(schemaOf(q.connection))) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of parkedMessageV1Down(schemaOf(q.connection))) await q.query(sql);
  }
}

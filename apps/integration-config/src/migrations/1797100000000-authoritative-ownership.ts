import { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@incident-sync/persistence';

/** Authoritative field ownership (issue #15): the owner's value is enforced, not only used to break ties. */
export class AuthoritativeOwnership1797100000000 implements MigrationInterface {
  name = 'AuthoritativeOwnership1797100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "${schemaOf(q.connection)}"."field_ownership_rule" ADD "authoritative" boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "${schemaOf(q.connection)}"."field_ownership_rule" DROP COLUMN "authoritative"`);
  }
}

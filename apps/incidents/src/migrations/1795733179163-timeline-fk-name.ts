import { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@incident-sync/persistence';

/**
 * Gives the timeline's foreign key a schema-independent name, the one the entity declares,
 * so the entities and the migrated schema stay identical (no drift for a schema diff).
 */
export class TimelineFkName1795733179163 implements MigrationInterface {
  name = 'TimelineFkName1795733179163';

  async up(queryRunner: QueryRunner): Promise<void> {
    const schema = schemaOf(queryRunner.connection);
    await queryRunner.query(`ALTER TABLE "${schema}"."timeline_entry" RENAME CONSTRAINT "FK_${schema}_timeline_entry_incident" TO "FK_timeline_entry_incident"`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const schema = schemaOf(queryRunner.connection);
    await queryRunner.query(`ALTER TABLE "${schema}"."timeline_entry" RENAME CONSTRAINT "FK_timeline_entry_incident" TO "FK_${schema}_timeline_entry_incident"`);
  }
}

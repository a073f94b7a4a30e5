import { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@incident-sync/persistence';

/**
 * What an incident.triggered from a PagerDuty service without a service mapping does (#15):
 * `unmapped_services` create (default: a platform incident of `default_incident_type`, or none)
 * or ignore.
 */
export class UnmappedServices1797000000000 implements MigrationInterface {
  name = 'UnmappedServices1797000000000';

  async up(q: QueryRunner): Promise<void> {
    const S = `"${schemaOf(q.connection)}"`;
    await q.query(`ALTER TABLE ${S}."integration" ADD "unmapped_services" varchar(10) NOT NULL DEFAULT 'create'`);
    await q.query(`ALTER TABLE ${S}."integration" ADD "default_incident_type" varchar(200)`);
    await q.query(`ALTER TABLE ${S}."integration" ADD CONSTRAINT "CK_integration_unmapped_services" CHECK ("unmapped_services" IN ('create', 'ignore'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    const S = `"${schemaOf(q.connection)}"`;
    await q.query(`ALTER TABLE ${S}."integration" DROP CONSTRAINT "CK_integration_unmapped_services"`);
    await q.query(`ALTER TABLE ${S}."integration" DROP COLUMN "default_incident_type"`);
    await q.query(`ALTER TABLE ${S}."integration" DROP COLUMN "unmapped_services"`);
  }
}

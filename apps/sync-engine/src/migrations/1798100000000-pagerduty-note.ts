import { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@incident-sync/persistence';

/**
 * PagerDuty notes each link has processed (issue #14): written in the same transaction as the
 * webhook (or reconciliation repair) that brought the note, so reconciliation can tell a note
 * whose `incident.annotated` delivery was dropped from one already on the platform timeline,
 * and a late delivery after a repair (or a repair after the delivery) adds nothing twice.
 * `noted_at` is PagerDuty's time for the note (the webhook's occurred_at, the note's created_at):
 * a pass skips reading an incident's notes when the link processed as many notes inside the
 * window as the window's log shows.
 */
export class PagerDutyNote1798100000000 implements MigrationInterface {
  name = 'PagerDutyNote1798100000000';

  async up(q: QueryRunner): Promise<void> {
    const schema = schemaOf(q.connection);
    const s = `"${schema}"`;
    await q.query(`CREATE TABLE ${s}."pagerduty_note" (
      "link_id" uuid NOT NULL,
      "note_id" varchar(200) NOT NULL,
      "integration_id" varchar(200) NOT NULL,
      "source" varchar(20) NOT NULL,
      "noted_at" timestamptz NOT NULL,
      "seen_at" timestamptz NOT NULL,
      CONSTRAINT "PK_${schema}_pagerduty_note" PRIMARY KEY ("link_id", "note_id"))`);
    await q.query(`CREATE INDEX "IX_pagerduty_note_noted" ON ${s}."pagerduty_note" ("link_id", "noted_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "${schemaOf(q.connection)}"."pagerduty_note"`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@incident-sync/persistence';

/** Each reconcile pass records what it found of the integration's PagerDuty webhook subscription (issue #14; sync-status shows it). */
export class WebhookSubscriptionHealth1797200000000 implements MigrationInterface {
  name = 'WebhookSubscriptionHealth1797200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "${schemaOf(q.connection)}"."reconcile_run" ADD COLUMN "webhook_subscription" jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "${schemaOf(q.connection)}"."reconcile_run" DROP COLUMN "webhook_subscription"`);
  }
}

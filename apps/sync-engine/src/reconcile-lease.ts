import { DataSource } from 'typeorm';
import { rowsOf } from '@incident-sync/persistence';

/**
 * One reconcile pass at a time per integration across every replica, and when the next
 * scheduled pass is due: a lease on the integration's `reconcile_schedule` row (claimed with
 * one atomic statement; it runs out if its holder dies). The interval is the integration's
 * current setting, so changing it applies to the next pass at once.
 */
export class ReconcileLease {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Claims the integration for one pass. With `intervalMs` (the scheduler), only when the last
   * pass finished at least that long ago; without (on demand), whenever no other pass holds it.
   * An integration seen for the first time by the scheduler is put on the schedule as if a pass
   * had just finished: a restart or a first link does not cause a burst of reads.
   */
  async claim(integrationId: string, owner: string, leaseMs: number, intervalMs: number | null): Promise<boolean> {
    if (intervalMs !== null) {
      await this.dataSource.query(
        `INSERT INTO "reconcile_schedule" ("integration_id", "last_finished_at") VALUES ($1, now()) ON CONFLICT ("integration_id") DO NOTHING`,
        [integrationId],
      );
    }
    const rows: unknown = await this.dataSource.query(
      `INSERT INTO "reconcile_schedule" AS s ("integration_id", "last_finished_at", "lease_owner", "lease_until")
       VALUES ($1, NULL, $2, now() + ($3::int * interval '1 millisecond'))
       ON CONFLICT ("integration_id") DO UPDATE SET "lease_owner" = EXCLUDED."lease_owner", "lease_until" = EXCLUDED."lease_until"
       WHERE (s."lease_until" IS NULL OR s."lease_until" < now())
         AND ($4::int IS NULL OR s."last_finished_at" IS NULL OR s."last_finished_at" + ($4::int * interval '1 millisecond') <= now())
       RETURNING s."integration_id"`,
      [integrationId, owner, leaseMs, intervalMs],
    );
    return Array.isArray(rows) && rows.length > 0;
  }

  /** Extends a lease its holder still runs a pass under; false when it no longer holds it. */
  async renew(integrationId: string, owner: string, leaseMs: number): Promise<boolean> {
    const rows = rowsOf(await this.dataSource.query(
      `UPDATE "reconcile_schedule" SET "lease_until" = now() + ($3::int * interval '1 millisecond')
       WHERE "integration_id" = $1 AND "lease_owner" = $2 RETURNING "integration_id"`,
      [integrationId, owner, leaseMs],
    ));
    return rows.length > 0;
  }

  /** The pass is over: the lease is released; the next scheduled pass is one interval from now. */
  async release(integrationId: string, owner: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE "reconcile_schedule" SET "lease_owner" = NULL, "lease_until" = NULL, "last_finished_at" = now() WHERE "integration_id" = $1 AND "lease_owner" = $2`,
      [integrationId, owner],
    );
  }

  /** Integrations with links that no pass holds now (whether one is due depends on each one's interval). */
  async candidates(): Promise<string[]> {
    const rows: { integration_id: string }[] = await this.dataSource.query(
      `SELECT i."integration_id" FROM (SELECT DISTINCT "integration_id" FROM "incident_link") i
       LEFT JOIN "reconcile_schedule" s ON s."integration_id" = i."integration_id"
       WHERE s."lease_until" IS NULL OR s."lease_until" < now()
       ORDER BY s."last_finished_at" NULLS FIRST`,
    );
    return rows.map((r) => r.integration_id);
  }
}

import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { rowsOf } from '@incident-sync/persistence';
import type { BackfillCounts, BackfillDirection, BackfillJobRow, BackfillPlanItem, BackfillStatus, OutboundBackfillState } from './backfill-job';

/** A running job whose holder wrote no heartbeat for this long is taken over (its process died). */
export const BACKFILL_STALE_MS = 20000;

export interface NewBackfillJob {
  id: string;
  organizationId: string;
  integrationId: string;
  direction: BackfillDirection;
  dryRun: boolean;
  since: Date;
  until: Date;
  owner: string;
  counts: BackfillCounts;
  outbound: OutboundBackfillState | null;
}

export interface BackfillProgress {
  requests: number;
  counts: BackfillCounts;
  plan: BackfillPlanItem[];
  errors: BackfillJobRow['errors'];
  outbound: OutboundBackfillState | null;
}

const COLUMNS = `"id", "organization_id", "integration_id", "direction", "dry_run", "since", "until", "status", "created_at", "finished_at", "heartbeat_at", "runs", "requests", "counts", "plan", "errors", "outbound"`;

/** `backfill_job` and `backfill_item` (migrations 1797100000000, 1798200000000). Items of side `pagerduty` are inbound (ref = PagerDuty id), of side `platform` outbound (ref = platform incident id). */
@Injectable()
export class BackfillJobRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Inserts a running job; null when the integration already has one (the partial unique index). */
  async create(job: NewBackfillJob): Promise<BackfillJobRow | null> {
    const rows: BackfillJobRow[] = await this.dataSource.query(
      `INSERT INTO "backfill_job" ("id", "organization_id", "integration_id", "direction", "dry_run", "since", "until", "status", "created_at", "heartbeat_at", "owner", "counts", "outbound")
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'running', now(), now(), $8, $9::jsonb, $10::jsonb)
       ON CONFLICT ("integration_id") WHERE "status" = 'running' DO NOTHING RETURNING ${COLUMNS}`,
      [job.id, job.organizationId, job.integrationId, job.direction, job.dryRun, job.since, job.until, job.owner, JSON.stringify(job.counts), job.outbound === null ? null : JSON.stringify(job.outbound)],
    );
    return rows[0] ?? null;
  }

  async running(integrationId: string): Promise<BackfillJobRow | null> {
    const rows: BackfillJobRow[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM "backfill_job" WHERE "integration_id" = $1 AND "status" = 'running'`, [integrationId]);
    return rows[0] ?? null;
  }

  async latest(integrationId: string): Promise<BackfillJobRow | null> {
    const rows: BackfillJobRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM "backfill_job" WHERE "integration_id" = $1 ORDER BY "created_at" DESC LIMIT 1`, [integrationId],
    );
    return rows[0] ?? null;
  }

  /** Takes over one running job whose holder stopped writing heartbeats (a crash, a restart); null when there is none. */
  async claimStale(owner: string, jobId: string | null = null): Promise<BackfillJobRow | null> {
    const rows = rowsOf<BackfillJobRow>(await this.dataSource.query(
      `UPDATE "backfill_job" SET "owner" = $1, "heartbeat_at" = now(), "runs" = "runs" + 1
       WHERE "id" = (SELECT "id" FROM "backfill_job" WHERE "status" = 'running' AND "heartbeat_at" < now() - ($2::int * interval '1 millisecond')
                       AND ($3::uuid IS NULL OR "id" = $3::uuid) ORDER BY "created_at" LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING ${COLUMNS}`,
      [owner, BACKFILL_STALE_MS, jobId],
    ));
    return rows[0] ?? null;
  }

  /** Writes progress while `owner` holds the job; answers the job's status, or null when another holder took it. */
  async heartbeat(jobId: string, owner: string, progress: BackfillProgress): Promise<BackfillStatus | null> {
    const rows = rowsOf<{ status: BackfillStatus }>(await this.dataSource.query(
      `UPDATE "backfill_job" SET "heartbeat_at" = now(), "requests" = $3, "counts" = $4::jsonb, "plan" = $5::jsonb, "errors" = $6::jsonb, "outbound" = $7::jsonb
       WHERE "id" = $1 AND "owner" = $2 RETURNING "status"`,
      [jobId, owner, progress.requests, JSON.stringify(progress.counts), JSON.stringify(progress.plan), JSON.stringify(progress.errors), progress.outbound === null ? null : JSON.stringify(progress.outbound)],
    ));
    return rows[0]?.status ?? null;
  }

  async finish(jobId: string, owner: string, status: Exclude<BackfillStatus, 'running'>, progress: BackfillProgress): Promise<void> {
    await this.heartbeat(jobId, owner, progress);
    await this.dataSource.query(
      `UPDATE "backfill_job" SET "status" = $3, "finished_at" = now(), "owner" = NULL WHERE "id" = $1 AND "owner" = $2 AND "status" = 'running'`, [jobId, owner, status],
    );
  }

  /** Cancels the integration's running job; the holder sees it at its next heartbeat and stops. */
  async cancel(integrationId: string): Promise<BackfillJobRow | null> {
    const rows = rowsOf<BackfillJobRow>(await this.dataSource.query(
      `UPDATE "backfill_job" SET "status" = 'cancelled', "finished_at" = now() WHERE "integration_id" = $1 AND "status" = 'running' RETURNING ${COLUMNS}`, [integrationId],
    ));
    return rows[0] ?? null;
  }

  /** Incidents this job queued that are linked by now. */
  async linkedCount(job: Pick<BackfillJobRow, 'id' | 'integration_id'>): Promise<number> {
    const rows: { n: string }[] = await this.dataSource.query(
      `SELECT count(*) AS n FROM "backfill_item" b JOIN "incident_link" l ON l."integration_id" = b."integration_id" AND l."pd_incident_id" = b."ref"
       WHERE b."job_id" = $1 AND b."side" = 'pagerduty'`, [job.id],
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** Which job queued each of these incidents (PagerDuty ids, or platform incident ids), if any. */
  async queuedBy(integrationId: string, side: 'pagerduty' | 'platform', refs: string[]): Promise<Map<string, string>> {
    if (refs.length === 0) return new Map();
    const rows: { ref: string; job_id: string }[] = await this.dataSource.query(
      `SELECT "ref", "job_id" FROM "backfill_item" WHERE "integration_id" = $1 AND "side" = $2 AND "ref" = ANY($3::varchar[])`, [integrationId, side, refs],
    );
    return new Map(rows.map((r) => [r.ref, r.job_id]));
  }

  /** The durable record of one queued incident, in the caller's transaction; false when it was queued already. */
  async recordQueued(em: EntityManager, integrationId: string, pdIncidentId: string, jobId: string): Promise<boolean> {
    const rows: unknown[] = await em.query(
      `INSERT INTO "backfill_item" ("integration_id", "side", "ref", "job_id", "queued_at") VALUES ($1, 'pagerduty', $2, $3, now())
       ON CONFLICT DO NOTHING RETURNING "ref"`, [integrationId, pdIncidentId, jobId],
    );
    return rows.length > 0;
  }

  /** Platform incidents this job queued that have a PagerDuty incident by now. */
  async createdCount(jobId: string): Promise<number> {
    const rows: { n: string }[] = await this.dataSource.query(
      `SELECT count(*) AS n FROM "backfill_item" b JOIN "incident_link" l ON l."integration_id" = b."integration_id" AND l."platform_incident_id"::text = b."ref"
       WHERE b."job_id" = $1 AND b."side" = 'platform' AND l."pd_incident_id" IS NOT NULL`, [jobId],
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** Creates this job queued whose link is reserved but has no PagerDuty id yet (sent to, or waiting in, the dispatcher). */
  async inFlightCreates(jobId: string): Promise<number> {
    const rows: { n: string }[] = await this.dataSource.query(
      `SELECT count(*) AS n FROM "backfill_item" b JOIN "incident_link" l ON l."integration_id" = b."integration_id" AND l."platform_incident_id"::text = b."ref"
       WHERE b."job_id" = $1 AND b."side" = 'platform' AND l."pd_incident_id" IS NULL`, [jobId],
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** Which of these platform incidents are linked to the integration. */
  async linkedPlatformIds(integrationId: string, incidentIds: string[]): Promise<Set<string>> {
    if (incidentIds.length === 0) return new Set();
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT "platform_incident_id"::text AS id FROM "incident_link" WHERE "integration_id" = $1 AND "platform_incident_id" = ANY($2::uuid[])`, [integrationId, incidentIds],
    );
    return new Set(rows.map((r) => r.id));
  }

  /** The durable record of one announced platform incident; false when it was recorded already. */
  async recordQueuedPlatform(integrationId: string, incidentId: string, jobId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO "backfill_item" ("integration_id", "side", "ref", "job_id", "queued_at") VALUES ($1, 'platform', $2, $3, now())
       ON CONFLICT DO NOTHING RETURNING "ref"`, [integrationId, incidentId, jobId],
    );
    return rows.length > 0;
  }

  /** Takes back this job's record of a platform incident it could not announce (a later backfill queues it again). */
  async forgetQueuedPlatform(integrationId: string, incidentId: string, jobId: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM "backfill_item" WHERE "integration_id" = $1 AND "side" = 'platform' AND "ref" = $2 AND "job_id" = $3`, [integrationId, incidentId, jobId]);
  }
}

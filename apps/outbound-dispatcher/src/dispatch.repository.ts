import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { PagerDutyAction, PagerDutyCommandV1 } from '@incident-sync/contracts';
import { PendingCommand } from './coalesce-commands';

export const DATABASE_SCHEMA = Symbol('DATABASE_SCHEMA');

/** A pending command with what the DLQ envelope needs about the original message. */
export interface StoredCommand extends PendingCommand {
  /** The row's key: the command id, or for a DLQ replay an id derived from it and the replay id. */
  intakeId: string;
  /** The dead letter this row was replayed from, null for a first delivery. */
  replayOf: string | null;
  organizationId: string;
  payload: string;
  headers: Record<string, string>;
  sourcePartition: number | null;
  sourceOffset: string | null;
  firstFailedAt: Date | null;
  receivedAt: Date;
  lastError: string | null;
}

/** Earlier deliveries of the same command (a replayed command's history), oldest first. */
export interface CommandHistory {
  attempts: number;
  firstFailedAt: Date | null;
  errors: { at: Date; message: string }[];
}

/** A settle or retry whose fencing token no longer owns the rows: it changed nothing. */
export class StaleFenceError extends Error {
  override name = 'StaleFenceError';
}

export interface DispatcherStats {
  lastSuccessAt: Date | null;
  lastErrorAt: Date | null;
  lastErrorMessage: string | null;
  rateLimited429Count: number;
  deadLetteredCount: number;
  requestsTotal: number;
}

interface CommandRow {
  intake_id: string;
  command_id: string;
  replay_of: string | null;
  received_at: Date;
  last_error: string | null;
  seq: string;
  integration_id: string;
  organization_id: string;
  platform_incident_id: string;
  pd_incident_id: string | null;
  action: PagerDutyAction;
  payload: string;
  headers: Record<string, string>;
  source_partition: number | null;
  source_offset: string | null;
  attempts: number;
  next_attempt_at: Date;
  create_outcome_unknown: boolean;
  first_failed_at: Date | null;
  /** next_attempt_at, or later while another lease holder's claim on the row runs. */
  ready_at: Date;
}

/**
 * All SQL of the dispatcher's queue (tables are qualified: the schema is configurable). Every
 * write to a row a worker is sending carries the lease's fencing token (`claim`, `settle`,
 * `scheduleRetry`, `markCreateInFlight`): a stale token changes nothing. Lease SQL:
 * integration-lease.repository.ts.
 */
@Injectable()
export class DispatchRepository {
  private readonly t: { command: string; created: string; stats: string; lease: string };

  constructor(private readonly dataSource: DataSource, @Inject(DATABASE_SCHEMA) schema: string) {
    const q = (table: string): string => `"${schema}"."${table}"`;
    this.t = { command: q('pending_command'), created: q('created_incident'), stats: q('dispatcher_stats'), lease: q('integration_lease') };
  }

  /** Stores a consumed command under its intake id; false when that id was already stored (redelivery). */
  async insertCommand(intake: { intakeId: string; replayOf: string | null }, command: PagerDutyCommandV1, payload: string, headers: Record<string, string>, partition: number | null, offset: string | null): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `INSERT INTO ${this.t.command} ("intake_id", "command_id", "replay_of", "integration_id", "organization_id", "platform_incident_id", "pd_incident_id", "action", "payload", "headers", "source_partition", "source_offset")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT ("intake_id") DO NOTHING RETURNING "intake_id"`,
      [intake.intakeId, command.commandId, intake.replayOf, command.integrationId, command.organizationId, command.platformIncidentId, command.pdIncidentId ?? null, command.action, payload, JSON.stringify(headers), partition, offset],
    )) as unknown[];
    return rows.length > 0;
  }

  async integrationsWithPending(): Promise<string[]> {
    const rows = (await this.dataSource.query(`SELECT DISTINCT "integration_id" FROM ${this.t.command} WHERE "status" = 'pending'`)) as { integration_id: string }[];
    return rows.map((r) => r.integration_id);
  }

  /**
   * The integration's queue in arrival order. A row another token holds a live claim on (its
   * holder may be mid-request) is not ready before the claim ends, so neither it nor the later
   * commands of its incident are sent meanwhile.
   */
  async loadPending(integrationId: string, token: string | null, limit = 1000): Promise<StoredCommand[]> {
    const rows = (await this.dataSource.query(
      `SELECT *, CASE WHEN "claim_token" IS DISTINCT FROM $3::bigint AND "claim_until" > now() THEN GREATEST("next_attempt_at", "claim_until") ELSE "next_attempt_at" END AS "ready_at"
       FROM ${this.t.command} WHERE "integration_id" = $1 AND "status" = 'pending' ORDER BY "seq" LIMIT $2`,
      [integrationId, limit, token],
    )) as CommandRow[];
    return rows.map((r) => ({
      intakeId: r.intake_id,
      replayOf: r.replay_of,
      receivedAt: new Date(r.received_at),
      lastError: r.last_error,
      commandId: r.command_id,
      seq: Number(r.seq),
      platformIncidentId: r.platform_incident_id,
      pdIncidentId: r.pd_incident_id,
      action: r.action,
      command: JSON.parse(r.payload) as PagerDutyCommandV1,
      attempts: r.attempts,
      nextAttemptAt: new Date(r.ready_at).getTime(),
      createOutcomeUnknown: r.create_outcome_unknown,
      organizationId: r.organization_id,
      payload: r.payload,
      headers: r.headers ?? {},
      sourcePartition: r.source_partition,
      sourceOffset: r.source_offset,
      firstFailedAt: r.first_failed_at,
    }));
  }

  async knownPdIds(integrationId: string, platformIncidentIds: string[]): Promise<Map<string, string>> {
    if (platformIncidentIds.length === 0) return new Map();
    const rows = (await this.dataSource.query(
      `SELECT "platform_incident_id", "pd_incident_id" FROM ${this.t.created} WHERE "integration_id" = $1 AND "platform_incident_id" = ANY($2::uuid[])`,
      [integrationId, platformIncidentIds],
    )) as { platform_incident_id: string; pd_incident_id: string }[];
    return new Map(rows.map((r) => [r.platform_incident_id, r.pd_incident_id]));
  }

  /**
   * The fence before every PagerDuty request: in one statement, renews the lease only if this
   * owner still holds it with this token, and claims the rows for `claimMs` under the token
   * (rows another token holds a live claim on are not taken). All rows or nothing: false means
   * the request must not be sent.
   */
  async claim(integrationId: string, owner: string, token: string, intakeIds: string[], claimMs: number, leaseMs: number): Promise<boolean> {
    return this.dataSource.transaction(async (em) => {
      // An UPDATE answers [rows, affected count] through TypeORM's postgres driver.
      const [, claimed] = (await em.query(
        `WITH lease AS (
           UPDATE ${this.t.lease} SET "expires_at" = GREATEST("expires_at", now() + make_interval(secs => $6::double precision / 1000))
           WHERE "integration_id" = $1 AND "owner" = $2 AND "fencing_token" = $3::bigint AND "expires_at" > now() RETURNING 1)
         UPDATE ${this.t.command} SET "claim_token" = $3::bigint, "claim_until" = now() + make_interval(secs => $5::double precision / 1000)
         WHERE "intake_id" = ANY($4::uuid[]) AND "integration_id" = $1 AND "status" = 'pending' AND EXISTS (SELECT 1 FROM lease)
           AND ("claim_token" IS NULL OR "claim_token" = $3::bigint OR "claim_until" <= now())
         RETURNING "intake_id"`,
        [integrationId, owner, token, intakeIds, claimMs, leaseMs],
      )) as [unknown, number];
      if (claimed !== new Set(intakeIds).size) throw new StaleFenceError(`lease token ${token} of ${integrationId} no longer holds ${intakeIds.length - claimed} of the rows`);
      return true;
    }).catch((error: unknown) => {
      if (error instanceof StaleFenceError) return false;
      throw error;
    });
  }

  /**
   * Written BEFORE a create is sent: if the process dies mid-request, the retry looks the
   * incident up by incident_key instead of creating a second one.
   */
  async markCreateInFlight(intakeId: string, token: string): Promise<void> {
    const [, count] = (await this.dataSource.query(
      `UPDATE ${this.t.command} SET "create_outcome_unknown" = true WHERE "intake_id" = $1 AND "claim_token" = $2::bigint AND "status" = 'pending'`,
      [intakeId, token],
    )) as [unknown, number];
    if (count !== 1) throw new StaleFenceError(`lease token ${token} no longer holds create ${intakeId}`);
  }

  async rememberCreated(em: EntityManager, integrationId: string, platformIncidentId: string, pdIncidentId: string): Promise<void> {
    await em.query(
      `INSERT INTO ${this.t.created} ("integration_id", "platform_incident_id", "pd_incident_id") VALUES ($1, $2, $3)
       ON CONFLICT ("integration_id", "platform_incident_id") DO UPDATE SET "pd_incident_id" = EXCLUDED."pd_incident_id"`,
      [integrationId, platformIncidentId, pdIncidentId],
    );
  }

  /**
   * Settles the rows claimed under `token`. Throws StaleFenceError (rolling the caller's
   * transaction back, outbox included) when any of them is no longer claimed under it.
   */
  async settle(em: EntityManager, intakeIds: string[], token: string, status: 'done' | 'failed', resultId: string, error: string | null): Promise<void> {
    const [, count] = (await em.query(
      `UPDATE ${this.t.command} SET "status" = $2, "completed_at" = now(), "result_id" = $3, "last_error" = COALESCE($4, "last_error"),
         "attempts" = "attempts" + 1, "claim_until" = now() WHERE "intake_id" = ANY($1::uuid[]) AND "status" = 'pending' AND "claim_token" = $5::bigint`,
      [intakeIds, status, resultId, error, token],
    )) as [unknown, number];
    if (count !== new Set(intakeIds).size) throw new StaleFenceError(`settle under stale token ${token}: ${count} of ${intakeIds.length} rows`);
  }

  /**
   * Parks the rows until `nextAttemptAt` (their claim ends). `countAttempt` is false for a
   * 429 (PagerDuty did not look at the request). Rows no longer claimed under `token` are left alone.
   */
  async scheduleRetry(intakeIds: string[], token: string, nextAttemptAt: Date, error: string, opts: { createOutcomeUnknown: boolean; countAttempt: boolean }): Promise<void> {
    await this.dataSource.query(
      `UPDATE ${this.t.command} SET "attempts" = "attempts" + $5, "next_attempt_at" = $2, "last_error" = $3, "claim_until" = now(),
         "first_failed_at" = COALESCE("first_failed_at", now()), "create_outcome_unknown" = "create_outcome_unknown" OR $4
       WHERE "intake_id" = ANY($1::uuid[]) AND "status" = 'pending' AND "claim_token" = $6::bigint`,
      [intakeIds, nextAttemptAt, error, opts.createOutcomeUnknown, opts.countAttempt ? 1 : 0, token],
    );
  }

  /** Gives up this token's claim on rows it did not send (a stale holder steps aside at once). */
  async releaseClaim(intakeIds: string[], token: string): Promise<void> {
    await this.dataSource.query(`UPDATE ${this.t.command} SET "claim_until" = now() WHERE "intake_id" = ANY($1::uuid[]) AND "claim_token" = $2::bigint`, [intakeIds, token]);
  }

  /** Earlier deliveries of a command (a DLQ replay's history): their attempts and errors. */
  async history(commandId: string, exceptIntakeId: string): Promise<CommandHistory> {
    const rows = (await this.dataSource.query(
      `SELECT "attempts", "first_failed_at", "last_error", COALESCE("completed_at", "received_at") AS "at" FROM ${this.t.command}
       WHERE "command_id" = $1 AND "intake_id" <> $2 ORDER BY "seq"`,
      [commandId, exceptIntakeId],
    )) as { attempts: number; first_failed_at: Date | null; last_error: string | null; at: Date }[];
    const firsts = rows.map((r) => r.first_failed_at ?? (r.last_error ? r.at : null)).filter((d): d is Date => d !== null).map((d) => new Date(d));
    return {
      attempts: rows.reduce((n, r) => n + r.attempts, 0),
      firstFailedAt: firsts.length ? new Date(Math.min(...firsts.map((d) => d.getTime()))) : null,
      errors: rows.filter((r) => r.last_error).map((r) => ({ at: new Date(r.at), message: r.last_error as string })),
    };
  }

  async recordOutcome(
    integrationId: string,
    outcome: { success?: boolean; error?: string; rateLimited?: boolean; deadLettered?: number; requests?: number },
    em: EntityManager | DataSource = this.dataSource,
  ): Promise<void> {
    await em.query(
      `INSERT INTO ${this.t.stats} AS s ("integration_id", "last_success_at", "last_error_at", "last_error_message", "rate_limited_429_count", "dead_lettered_count", "requests_total")
       VALUES ($1, CASE WHEN $2 THEN now() END, CASE WHEN $3::text IS NOT NULL THEN now() END, $3, $4, $5, $6)
       ON CONFLICT ("integration_id") DO UPDATE SET
         "last_success_at" = CASE WHEN $2 THEN now() ELSE s."last_success_at" END,
         "last_error_at" = CASE WHEN $3::text IS NOT NULL THEN now() ELSE s."last_error_at" END,
         "last_error_message" = COALESCE($3, s."last_error_message"),
         "rate_limited_429_count" = s."rate_limited_429_count" + $4,
         "dead_lettered_count" = s."dead_lettered_count" + $5,
         "requests_total" = s."requests_total" + $6`,
      [integrationId, outcome.success ?? false, outcome.error ?? null, outcome.rateLimited ? 1 : 0, outcome.deadLettered ?? 0, outcome.requests ?? 0],
    );
  }

  async queueStatus(integrationId: string): Promise<{ queueDepth: number; oldestPendingAt: Date | null }> {
    const sql = `SELECT count(*)::int AS depth, min("received_at") AS oldest FROM ${this.t.command} WHERE "integration_id" = $1 AND "status" = 'pending'`;
    const [row] = (await this.dataSource.query(sql, [integrationId])) as { depth: number; oldest: Date | null }[];
    return { queueDepth: row?.depth ?? 0, oldestPendingAt: row?.oldest ?? null };
  }

  /**
   * Parked = pending commands that failed transiently at least once and wait for their retry;
   * held = later commands of the same incidents, waiting behind them (per-incident order).
   */
  /** Every integration's unsettled commands, for metrics: never tried yet, or parked after a failure (the `pending` partial index). */
  async queueTotals(): Promise<{ pending: number; parked: number }> {
    const [row] = (await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE "first_failed_at" IS NULL)::int AS pending, count(*) FILTER (WHERE "first_failed_at" IS NOT NULL)::int AS parked
         FROM ${this.t.command} WHERE "status" = 'pending'`,
    )) as { pending: number; parked: number }[];
    return { pending: Number(row?.pending ?? 0), parked: Number(row?.parked ?? 0) };
  }

  async parkedStatus(integrationId: string): Promise<{ parked: number; held: number; oldestParkedAt: Date | null }> {
    const [row] = (await this.dataSource.query(
      `WITH heads AS (
         SELECT "platform_incident_id", min("seq") FILTER (WHERE "first_failed_at" IS NOT NULL) AS "parked_seq"
         FROM ${this.t.command} WHERE "integration_id" = $1 AND "status" = 'pending' GROUP BY "platform_incident_id")
       SELECT count(*) FILTER (WHERE c."first_failed_at" IS NOT NULL)::int AS parked,
              count(*) FILTER (WHERE c."first_failed_at" IS NULL AND c."seq" > h."parked_seq")::int AS held,
              min(c."first_failed_at") AS oldest
       FROM ${this.t.command} c JOIN heads h USING ("platform_incident_id") WHERE c."integration_id" = $1 AND c."status" = 'pending'`,
      [integrationId],
    )) as { parked: number; held: number; oldest: Date | null }[];
    return { parked: row?.parked ?? 0, held: row?.held ?? 0, oldestParkedAt: row?.oldest ? new Date(row.oldest) : null };
  }

  async stats(integrationId: string): Promise<DispatcherStats> {
    const [row] = (await this.dataSource.query(`SELECT * FROM ${this.t.stats} WHERE "integration_id" = $1`, [integrationId])) as {
      last_success_at: Date | null; last_error_at: Date | null; last_error_message: string | null; rate_limited_429_count: string; dead_lettered_count: string; requests_total: string;
    }[];
    return {
      lastSuccessAt: row?.last_success_at ?? null,
      lastErrorAt: row?.last_error_at ?? null,
      lastErrorMessage: row?.last_error_message ?? null,
      rateLimited429Count: Number(row?.rate_limited_429_count ?? 0),
      deadLetteredCount: Number(row?.dead_lettered_count ?? 0),
      requestsTotal: Number(row?.requests_total ?? 0),
    };
  }

  async pruneSettled(days: number): Promise<number> {
    const sql = `DELETE FROM ${this.t.command} WHERE "status" <> 'pending' AND "completed_at" < now() - make_interval(days => $1)`;
    const [, count] = (await this.dataSource.query(sql, [days])) as [unknown, number];
    return count;
  }

  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }
}

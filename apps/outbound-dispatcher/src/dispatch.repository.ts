import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { PagerDutyAction, PagerDutyCommandV1 } from '@incident-sync/contracts';
import { PendingCommand } from './coalesce-commands';

export const DATABASE_SCHEMA = Symbol('DATABASE_SCHEMA');

/** A pending command with what the DLQ envelope needs about the original message. */
export interface StoredCommand extends PendingCommand {
  organizationId: string;
  payload: string;
  headers: Record<string, string>;
  sourcePartition: number | null;
  sourceOffset: string | null;
  firstFailedAt: Date | null;
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
  command_id: string;
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
}

/** All SQL of the dispatcher's schema (tables are qualified: the schema is configurable). */
@Injectable()
export class DispatchRepository {
  private readonly t: { command: string; created: string; stats: string; lease: string };

  constructor(private readonly dataSource: DataSource, @Inject(DATABASE_SCHEMA) schema: string) {
    const q = (table: string): string => `"${schema}"."${table}"`;
    this.t = { command: q('pending_command'), created: q('created_incident'), stats: q('dispatcher_stats'), lease: q('integration_lease') };
  }

  /** Stores a consumed command; false when its id was already stored (redelivery). */
  async insertCommand(command: PagerDutyCommandV1, payload: string, headers: Record<string, string>, partition: number | null, offset: string | null): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `INSERT INTO ${this.t.command} ("command_id", "integration_id", "organization_id", "platform_incident_id", "pd_incident_id", "action", "payload", "headers", "source_partition", "source_offset")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT ("command_id") DO NOTHING RETURNING "command_id"`,
      [command.commandId, command.integrationId, command.organizationId, command.platformIncidentId, command.pdIncidentId ?? null, command.action, payload, JSON.stringify(headers), partition, offset],
    )) as unknown[];
    return rows.length > 0;
  }

  async integrationsWithPending(): Promise<string[]> {
    const rows = (await this.dataSource.query(`SELECT DISTINCT "integration_id" FROM ${this.t.command} WHERE "status" = 'pending'`)) as { integration_id: string }[];
    return rows.map((r) => r.integration_id);
  }

  async loadPending(integrationId: string, limit = 1000): Promise<StoredCommand[]> {
    const rows = (await this.dataSource.query(
      `SELECT * FROM ${this.t.command} WHERE "integration_id" = $1 AND "status" = 'pending' ORDER BY "seq" LIMIT $2`,
      [integrationId, limit],
    )) as CommandRow[];
    return rows.map((r) => ({
      commandId: r.command_id,
      seq: Number(r.seq),
      platformIncidentId: r.platform_incident_id,
      pdIncidentId: r.pd_incident_id,
      action: r.action,
      command: JSON.parse(r.payload) as PagerDutyCommandV1,
      attempts: r.attempts,
      nextAttemptAt: new Date(r.next_attempt_at).getTime(),
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
   * Written BEFORE a create is sent: if the process dies mid-request, the retry looks the
   * incident up by incident_key instead of creating a second one.
   */
  async markCreateInFlight(commandId: string): Promise<void> {
    await this.dataSource.query(`UPDATE ${this.t.command} SET "create_outcome_unknown" = true WHERE "command_id" = $1`, [commandId]);
  }

  async rememberCreated(em: EntityManager, integrationId: string, platformIncidentId: string, pdIncidentId: string): Promise<void> {
    await em.query(
      `INSERT INTO ${this.t.created} ("integration_id", "platform_incident_id", "pd_incident_id") VALUES ($1, $2, $3)
       ON CONFLICT ("integration_id", "platform_incident_id") DO UPDATE SET "pd_incident_id" = EXCLUDED."pd_incident_id"`,
      [integrationId, platformIncidentId, pdIncidentId],
    );
  }

  async settle(em: EntityManager, commandIds: string[], status: 'done' | 'failed', resultId: string, error: string | null): Promise<void> {
    await em.query(
      `UPDATE ${this.t.command} SET "status" = $2, "completed_at" = now(), "result_id" = $3, "last_error" = COALESCE($4, "last_error"),
         "attempts" = "attempts" + 1 WHERE "command_id" = ANY($1::uuid[]) AND "status" = 'pending'`,
      [commandIds, status, resultId, error],
    );
  }

  async scheduleRetry(commandIds: string[], nextAttemptAt: Date, error: string, createOutcomeUnknown: boolean): Promise<void> {
    await this.dataSource.query(
      `UPDATE ${this.t.command} SET "attempts" = "attempts" + 1, "next_attempt_at" = $2, "last_error" = $3,
         "first_failed_at" = COALESCE("first_failed_at", now()), "create_outcome_unknown" = "create_outcome_unknown" OR $4
       WHERE "command_id" = ANY($1::uuid[]) AND "status" = 'pending'`,
      [commandIds, nextAttemptAt, error, createOutcomeUnknown],
    );
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
    const [row] = (await this.dataSource.query(
      `SELECT count(*)::int AS depth, min("received_at") AS oldest FROM ${this.t.command} WHERE "integration_id" = $1 AND "status" = 'pending'`,
      [integrationId],
    )) as { depth: number; oldest: Date | null }[];
    return { queueDepth: row?.depth ?? 0, oldestPendingAt: row?.oldest ?? null };
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

  /** Takes or renews the integration's lease; false while another live instance holds it. */
  async acquireLease(integrationId: string, owner: string, ms: number): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `INSERT INTO ${this.t.lease} AS l ("integration_id", "owner", "expires_at") VALUES ($1, $2, now() + make_interval(secs => $3::double precision / 1000))
       ON CONFLICT ("integration_id") DO UPDATE SET "owner" = EXCLUDED."owner", "expires_at" = EXCLUDED."expires_at"
       WHERE l."owner" = EXCLUDED."owner" OR l."expires_at" < now() RETURNING "owner"`,
      [integrationId, owner, ms],
    )) as unknown[];
    return rows.length > 0;
  }

  async releaseLease(integrationId: string, owner: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM ${this.t.lease} WHERE "integration_id" = $1 AND "owner" = $2`, [integrationId, owner]);
  }

  async pruneSettled(days: number): Promise<number> {
    const [, count] = (await this.dataSource.query(
      `DELETE FROM ${this.t.command} WHERE "status" <> 'pending' AND "completed_at" < now() - make_interval(days => $1)`,
      [days],
    )) as [unknown, number];
    return count;
  }

  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }
}

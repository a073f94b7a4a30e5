import { DataSource } from 'typeorm';
import { rowsOf } from './query-rows';

/**
 * Who is asking for a PagerDuty request. Live writes come first, then reads the sync needs
 * (users, priorities, log entries, on-call), then reconciliation: a class may only take a
 * token while at least its reserve stays in the bucket, so lower classes leave the last
 * tokens of each burst to the higher ones.
 */
export type BudgetPriority = 'write' | 'read' | 'reconcile';

const RESERVE_SHARE: Record<BudgetPriority, number> = { write: 0, read: 0.25, reconcile: 0.5 };

/** The shared schema: the one table two services share, because PagerDuty's limit is per token, not per service. */
export const PAGERDUTY_BUDGET_SCHEMA = 'pagerduty_budget';

/**
 * SQL creating the shared budget table, version 1. Both services that call PagerDuty
 * (outbound-dispatcher, sync-engine) run it in a migration; the advisory lock and IF NOT
 * EXISTS make the two migrations safe to run concurrently, in either order. FROZEN once landed.
 */
export function pagerDutyBudgetV1Up(): string[] {
  const s = `"${PAGERDUTY_BUDGET_SCHEMA}"`;
  return [
    `SELECT pg_advisory_xact_lock(hashtext('incident-sync:${PAGERDUTY_BUDGET_SCHEMA}'))`,
    `CREATE SCHEMA IF NOT EXISTS ${s}`,
    `CREATE TABLE IF NOT EXISTS ${s}."token_bucket" (
      "integration_id" varchar(200) NOT NULL,
      "tokens" double precision NOT NULL,
      "refilled_at" timestamptz NOT NULL,
      "paused_until" timestamptz,
      "requests_total" bigint NOT NULL DEFAULT 0,
      CONSTRAINT "PK_pagerduty_budget_token_bucket" PRIMARY KEY ("integration_id"))`,
  ];
}

export type BudgetTake = { granted: true } | { granted: false; waitMs: number; paused: boolean };

/** Burst of a bucket refilled at `ratePerMinute`: ten seconds' worth, like the dispatcher's local bucket. */
export function budgetCapacity(ratePerMinute: number): number {
  return Math.max(1, Math.floor(Math.max(1, ratePerMinute) / 6));
}

export function budgetReserve(ratePerMinute: number, priority: BudgetPriority): number {
  const capacity = budgetCapacity(ratePerMinute);
  return Math.min(capacity - 1, Math.floor(capacity * RESERVE_SHARE[priority]));
}

/**
 * One PagerDuty request budget per integration (its API token, FACTS §2.7), shared by every
 * service and replica that calls PagerDuty with that token: a token-bucket row in PostgreSQL,
 * refilled and taken in one atomic `UPDATE … RETURNING`, so N replicas of the dispatcher and
 * the sync-engine together never exceed the configured rate. A 429 pauses the row: every
 * caller of that integration waits until `ratelimit-reset`, no other integration does.
 */
export class PagerDutyBudget {
  private readonly table = `"${PAGERDUTY_BUDGET_SCHEMA}"."token_bucket"`;

  constructor(private readonly dataSource: DataSource) {}

  /** Takes one token now, or says how long until this priority could have one. */
  async tryTake(integrationId: string, ratePerMinute: number, priority: BudgetPriority): Promise<BudgetTake> {
    const rate = Math.max(1, Math.floor(ratePerMinute));
    const capacity = budgetCapacity(rate);
    const reserve = budgetReserve(rate, priority);
    await this.dataSource.query(
      `INSERT INTO ${this.table} ("integration_id", "tokens", "refilled_at") VALUES ($1, $2, clock_timestamp()) ON CONFLICT DO NOTHING`,
      [integrationId, capacity],
    );
    const refilled = `LEAST($2::float8, b."tokens" + GREATEST(0, EXTRACT(EPOCH FROM clock_timestamp() - b."refilled_at")) * $3::float8 / 60.0)`;
    const taken: unknown[] = await this.dataSource.query(
      `UPDATE ${this.table} b SET "tokens" = ${refilled} - 1, "refilled_at" = GREATEST(b."refilled_at", clock_timestamp()), "requests_total" = b."requests_total" + 1
       WHERE b."integration_id" = $1 AND (b."paused_until" IS NULL OR b."paused_until" <= clock_timestamp()) AND ${refilled} - 1 >= $4::float8
       RETURNING b."tokens"`,
      [integrationId, capacity, rate, reserve],
    );
    if (rowsOf(taken).length > 0) return { granted: true };
    const rows: { available: number; paused_ms: number | null }[] = rowsOf(await this.dataSource.query(
      `SELECT ${refilled} AS available,
         CASE WHEN b."paused_until" > clock_timestamp() THEN EXTRACT(EPOCH FROM b."paused_until" - clock_timestamp()) * 1000 END AS paused_ms
       FROM ${this.table} b WHERE b."integration_id" = $1`,
      [integrationId, capacity, rate],
    ));
    const row = rows[0];
    const pausedMs = row?.paused_ms == null ? 0 : Math.ceil(Number(row.paused_ms));
    const missing = Math.max(0, reserve + 1 - Number(row?.available ?? 0));
    const refillMs = Math.ceil((missing * 60000) / rate);
    return { granted: false, waitMs: Math.max(1, pausedMs, refillMs), paused: pausedMs > 0 };
  }

  /** Nothing may be sent with this integration's token for `ms` (429 `ratelimit-reset`); the burst starts empty afterwards. */
  async pause(integrationId: string, ms: number): Promise<void> {
    const wait = Math.max(0, Math.ceil(ms));
    await this.dataSource.query(
      `INSERT INTO ${this.table} AS b ("integration_id", "tokens", "refilled_at", "paused_until")
       VALUES ($1, 0, clock_timestamp() + ($2::int * interval '1 millisecond'), clock_timestamp() + ($2::int * interval '1 millisecond'))
       ON CONFLICT ("integration_id") DO UPDATE SET "tokens" = 0,
         "paused_until" = GREATEST(COALESCE(b."paused_until", clock_timestamp()), EXCLUDED."paused_until"),
         "refilled_at" = GREATEST(b."refilled_at", EXCLUDED."refilled_at")`,
      [integrationId, wait],
    );
  }

  /** Requests granted so far for an integration (tests and status). */
  async requestsTotal(integrationId: string): Promise<number> {
    const rows: { n: string }[] = rowsOf(await this.dataSource.query(`SELECT "requests_total" AS n FROM ${this.table} WHERE "integration_id" = $1`, [integrationId]));
    return Number(rows[0]?.n ?? 0);
  }
}

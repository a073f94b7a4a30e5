import { DataSource } from 'typeorm';
import { schemaOf } from './schema-of';

/** One failure of a parked record, kept with it and carried into the DLQ when it expires. */
export interface ParkFailure {
  at: string;
  code: string;
  message: string;
}

/** What identifies a parked record and what it carries: the same whether it is being parked or read back. */
export interface ParkedMessage {
  consumerGroup: string;
  topic: string;
  parkKey: string;
  partition: number;
  offset: string;
  messageKey: string | null;
  payload: string;
  headers: Record<string, string>;
  organizationId: string | null;
  integrationId: string | null;
}

export interface ParkedRecord extends ParkedMessage {
  seq: string;
  attempts: number;
  parkedAt: Date;
  firstFailedAt: Date | null;
  history: ParkFailure[];
}

export interface ParkRequest extends ParkedMessage {
  /** The failure that parked it; absent when it only waits behind an earlier record of its key. */
  failure?: ParkFailure & { nextAttemptAt: Date };
}

export interface ParkedFigures {
  integrationId: string | null;
  parked: number;
  oldestParkedAt: Date | null;
}

interface Row {
  seq: string; consumer_group: string; topic: string; park_key: string; partition: number; kafka_offset: string; message_key: string | null;
  payload: string; headers: Record<string, string>; organization_id: string | null; integration_id: string | null; attempts: number;
  parked_at: Date; first_failed_at: Date | null; history: ParkFailure[];
}

/** Failures kept per record: the first five say why it parked, the latest why it is still there. */
const HISTORY_LIMIT = 20;

const recordOf = (r: Row): ParkedRecord => ({
  seq: String(r.seq), consumerGroup: r.consumer_group, topic: r.topic, parkKey: r.park_key, partition: r.partition, offset: r.kafka_offset,
  messageKey: r.message_key, payload: r.payload, headers: r.headers ?? {}, organizationId: r.organization_id, integrationId: r.integration_id,
  attempts: r.attempts, parkedAt: new Date(r.parked_at), firstFailedAt: r.first_failed_at ? new Date(r.first_failed_at) : null, history: r.history ?? [],
});

/**
 * Durable per-key parking (docs/ARCHITECTURE.md "Ordering and failure model"), in the
 * consuming service's schema (`parked_message`, see parkedMessageV1Up).
 *
 * - A key is *parked* while it has a row. Records of a parked key are parked behind it in
 *   Kafka order (seq), so per-key order holds while other keys flow.
 * - A record is identified by (consumer group, topic, partition, offset): a record redelivered
 *   after a crash between parking and the offset commit parks once.
 * - Only the head of a key (lowest seq) is ever tried. A drainer claims due heads with a lease
 *   (replicas never try one head together); the lease runs out if its holder dies.
 */
export class ParkingLot {
  private readonly table: string;

  constructor(private readonly dataSource: DataSource) {
    this.table = `"${schemaOf(dataSource)}"."parked_message"`;
  }

  /** Whether the service's migrations created the table (services without consumers have none). */
  async available(): Promise<boolean> {
    const rows: { t: string | null }[] = await this.dataSource.query(`SELECT to_regclass($1) AS t`, [this.table]);
    return rows[0]?.t != null;
  }

  async isParked(consumerGroup: string, topic: string, parkKey: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM ${this.table} WHERE "consumer_group" = $1 AND "topic" = $2 AND "park_key" = $3 LIMIT 1`,
      [consumerGroup, topic, parkKey],
    );
    return rows.length > 0;
  }

  /** Parks a record; a record already parked (a redelivery) is left as it is. */
  async park(request: ParkRequest): Promise<void> {
    const f = request.failure;
    await this.dataSource.query(
      `INSERT INTO ${this.table} ("consumer_group", "topic", "park_key", "partition", "kafka_offset", "message_key", "payload", "headers", "organization_id",
         "integration_id", "attempts", "first_failed_at", "next_attempt_at", "last_error_code", "last_error", "history")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11, $12, COALESCE($13::timestamptz, now()), $14, $15, $16::jsonb)
       ON CONFLICT ("consumer_group", "topic", "partition", "kafka_offset") DO NOTHING`,
      [
        request.consumerGroup, request.topic, request.parkKey, request.partition, request.offset, request.messageKey, request.payload,
        JSON.stringify(request.headers), request.organizationId, request.integrationId, f ? 1 : 0, f ? f.at : null, f ? f.nextAttemptAt.toISOString() : null,
        f?.code ?? null, f?.message ?? null, JSON.stringify(f ? [{ at: f.at, code: f.code, message: f.message }] : []),
      ],
    );
  }

  /**
   * Claims up to `limit` heads whose next attempt is due, for `leaseMs`, among the routes
   * (`<consumer group>|<topic>`) this instance has a handler for. With `only`, just that key's
   * head (the drainer releasing a key's records in order).
   */
  async claimDue(routes: readonly string[], owner: string, leaseMs: number, limit: number, only?: { topic: string; parkKey: string }): Promise<ParkedRecord[]> {
    if (routes.length === 0) return [];
    const params: unknown[] = [routes, owner, leaseMs, limit];
    let keyFilter = '';
    if (only) {
      params.push(only.topic, only.parkKey);
      keyFilter = `AND "topic" = $5 AND "park_key" = $6`;
    }
    // The outer WHERE is re-checked on the locked row, so two replicas never both claim a head.
    const rows: [Row[], number] | Row[] = await this.dataSource.query(
      `UPDATE ${this.table} p SET "lease_owner" = $2, "lease_until" = now() + ($3::int * interval '1 millisecond')
       WHERE p."seq" IN (
         SELECT h."seq" FROM (
           SELECT DISTINCT ON ("consumer_group", "topic", "park_key") "seq", "next_attempt_at", "lease_until"
           FROM ${this.table} WHERE ("consumer_group" || '|' || "topic") = ANY($1) ${keyFilter}
           ORDER BY "consumer_group", "topic", "park_key", "seq") h
         WHERE h."next_attempt_at" <= now() AND (h."lease_until" IS NULL OR h."lease_until" < now())
         ORDER BY h."next_attempt_at" LIMIT $4)
       AND (p."lease_until" IS NULL OR p."lease_until" < now())
       RETURNING p.*`,
      params,
    );
    const list = Array.isArray(rows[0]) ? (rows[0] as Row[]) : (rows as Row[]);
    return list.map(recordOf).sort((a, b) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : 1));
  }

  /** The record was applied (or dead-lettered): the next record of its key becomes the head. */
  async release(seq: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM ${this.table} WHERE "seq" = $1`, [seq]);
  }

  /** Another failed attempt: kept, with its history, until `nextAttemptAt`. */
  async reschedule(seq: string, failure: ParkFailure, nextAttemptAt: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE ${this.table} SET "attempts" = "attempts" + 1, "first_failed_at" = COALESCE("first_failed_at", $2::timestamptz), "next_attempt_at" = $3,
         "last_error_code" = $4, "last_error" = $5, "lease_owner" = NULL, "lease_until" = NULL,
         "history" = CASE WHEN jsonb_array_length("history") >= ${HISTORY_LIMIT}
           THEN ("history" - 5) || $6::jsonb ELSE "history" || $6::jsonb END
       WHERE "seq" = $1`,
      [seq, failure.at, nextAttemptAt.toISOString(), failure.code, failure.message, JSON.stringify([failure])],
    );
  }

  /**
   * Makes every parked head of an integration due now (e.g. it was enabled again after a pause):
   * the drainer retries them on its next pass instead of after their backoff. Returns how many.
   */
  async wake(integrationId: string): Promise<number> {
    const result: unknown = await this.dataSource.query(
      `UPDATE ${this.table} SET "next_attempt_at" = now() WHERE "integration_id" = $1 AND "next_attempt_at" > now()`,
      [integrationId],
    );
    return Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
  }

  /** Parked records per topic, for metrics (a bounded label: topics are a fixed list). */
  async countByTopic(): Promise<{ topic: string; parked: number }[]> {
    const rows: { topic: string; parked: number }[] = await this.dataSource.query(`SELECT "topic", count(*)::int AS parked FROM ${this.table} GROUP BY "topic"`);
    return rows.map((r) => ({ topic: r.topic, parked: Number(r.parked) }));
  }

  /** Parked records and the oldest one, per integration (sync-status). */
  async figures(integrationIds?: readonly string[]): Promise<ParkedFigures[]> {
    const rows: { integration_id: string | null; parked: string; oldest: Date | null }[] = await this.dataSource.query(
      `SELECT "integration_id", count(*) AS parked, min("parked_at") AS oldest FROM ${this.table}
       ${integrationIds ? 'WHERE "integration_id" = ANY($1)' : ''} GROUP BY "integration_id"`,
      integrationIds ? [integrationIds] : [],
    );
    return rows.map((r) => ({ integrationId: r.integration_id, parked: Number(r.parked), oldestParkedAt: r.oldest ? new Date(r.oldest) : null }));
  }
}

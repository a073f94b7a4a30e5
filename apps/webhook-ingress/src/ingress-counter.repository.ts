import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export const DATABASE_SCHEMA = Symbol('DATABASE_SCHEMA');

export interface IngressStatus {
  integration_id: string;
  last_received_at: string | null;
  last_event_occurred_at: string | null;
  accepted_total: number;
  duplicate_total: number;
  rejected_signature_total: number;
  ping_total: number;
  last_rejected_at: string | null;
}

/** One delivery of a group commit, for countBatch. */
export interface CountedDelivery {
  integrationId: string;
  accepted: boolean;
  /** ISO-8601. */
  receivedAt: string;
  /** ISO-8601. */
  occurredAt: string;
}

type Counter = 'accepted_total' | 'duplicate_total' | 'rejected_signature_total' | 'ping_total';

interface Row {
  accepted_total: string;
  duplicate_total: string;
  rejected_signature_total: string;
  ping_total: string;
  last_received_at: Date | null;
  last_event_occurred_at: Date | null;
  last_rejected_at: Date | null;
}

/** Per-integration totals behind GET /internal/v1/ingress/status/:integrationId. */
@Injectable()
export class IngressCounterRepository {
  private readonly table: string;

  constructor(private readonly dataSource: DataSource, @Inject(DATABASE_SCHEMA) schema: string) {
    this.table = `"${schema}"."ingress_counter"`;
  }

  /**
   * Counts one group commit's deliveries inside its transaction: one upsert per integration
   * (in id order, so two replicas' batches lock the rows in the same order), adding the
   * accepted and duplicate totals and moving the "last" timestamps forward from accepted ones.
   */
  async countBatch(em: EntityManager, deliveries: readonly CountedDelivery[]): Promise<void> {
    const totals = new Map<string, { accepted: number; duplicates: number; receivedAt: string | null; occurredAt: string | null }>();
    const later = (a: string | null, b: string): string => (a !== null && Date.parse(a) >= Date.parse(b) ? a : b);
    for (const d of deliveries) {
      const t = totals.get(d.integrationId) ?? { accepted: 0, duplicates: 0, receivedAt: null, occurredAt: null };
      if (d.accepted) {
        t.accepted += 1;
        t.receivedAt = later(t.receivedAt, d.receivedAt);
        t.occurredAt = later(t.occurredAt, d.occurredAt);
      } else {
        t.duplicates += 1;
      }
      totals.set(d.integrationId, t);
    }
    const ids = [...totals.keys()].sort();
    if (ids.length === 0) return;
    const rows = ids.map((id) => totals.get(id) ?? { accepted: 0, duplicates: 0, receivedAt: null, occurredAt: null });
    await em.query(
      `INSERT INTO ${this.table} ("integration_id", "accepted_total", "duplicate_total", "last_received_at", "last_event_occurred_at")
       SELECT * FROM unnest($1::varchar[], $2::bigint[], $3::bigint[], $4::timestamptz[], $5::timestamptz[]) ORDER BY 1
       ON CONFLICT ("integration_id") DO UPDATE SET "accepted_total" = ${this.table}."accepted_total" + EXCLUDED."accepted_total",
         "duplicate_total" = ${this.table}."duplicate_total" + EXCLUDED."duplicate_total",
         "last_received_at" = GREATEST(${this.table}."last_received_at", EXCLUDED."last_received_at"),
         "last_event_occurred_at" = GREATEST(${this.table}."last_event_occurred_at", EXCLUDED."last_event_occurred_at")`,
      [ids, rows.map((r) => r.accepted), rows.map((r) => r.duplicates), rows.map((r) => r.receivedAt), rows.map((r) => r.occurredAt)],
    );
  }

  async count(integrationId: string, counter: Exclude<Counter, 'accepted_total'>, em: EntityManager | DataSource = this.dataSource): Promise<void> {
    const stamp = counter === 'rejected_signature_total' ? `, "last_rejected_at" = now()` : '';
    const insertStamp = counter === 'rejected_signature_total' ? ', "last_rejected_at"' : '';
    await em.query(
      `INSERT INTO ${this.table} ("integration_id", "${counter}"${insertStamp}) VALUES ($1, 1${insertStamp ? ', now()' : ''})
       ON CONFLICT ("integration_id") DO UPDATE SET "${counter}" = ${this.table}."${counter}" + 1${stamp}`,
      [integrationId],
    );
  }

  async status(integrationId: string): Promise<IngressStatus> {
    const rows = (await this.dataSource.query(`SELECT * FROM ${this.table} WHERE "integration_id" = $1`, [integrationId])) as Row[];
    const row = rows[0];
    const iso = (d: Date | null | undefined): string | null => (d ? new Date(d).toISOString() : null);
    return {
      integration_id: integrationId,
      last_received_at: iso(row?.last_received_at),
      last_event_occurred_at: iso(row?.last_event_occurred_at),
      accepted_total: Number(row?.accepted_total ?? 0),
      duplicate_total: Number(row?.duplicate_total ?? 0),
      rejected_signature_total: Number(row?.rejected_signature_total ?? 0),
      ping_total: Number(row?.ping_total ?? 0),
      last_rejected_at: iso(row?.last_rejected_at),
    };
  }
}

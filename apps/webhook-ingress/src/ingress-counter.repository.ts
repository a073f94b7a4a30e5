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

  /** Counts one accepted (new) event inside the caller's transaction. */
  async countAccepted(em: EntityManager, integrationId: string, receivedAt: Date, occurredAt: string): Promise<void> {
    await em.query(
      `INSERT INTO ${this.table} ("integration_id", "accepted_total", "last_received_at", "last_event_occurred_at") VALUES ($1, 1, $2, $3)
       ON CONFLICT ("integration_id") DO UPDATE SET "accepted_total" = ${this.table}."accepted_total" + 1,
         "last_received_at" = GREATEST(${this.table}."last_received_at", EXCLUDED."last_received_at"),
         "last_event_occurred_at" = GREATEST(${this.table}."last_event_occurred_at", EXCLUDED."last_event_occurred_at")`,
      [integrationId, receivedAt, occurredAt],
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

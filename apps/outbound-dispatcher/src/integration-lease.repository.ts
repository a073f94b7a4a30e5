import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DATABASE_SCHEMA } from './dispatch.repository';

/** A lease this instance holds: its fencing token and a 429 pause it inherits. */
export interface HeldLease {
  token: string;
  pausedUntil: Date | null;
}

/**
 * SQL of `integration_lease`. The fencing token grows by one each time the lease changes
 * hands (a new owner, or the same owner after its lease lapsed); it is never reset, since a
 * release only expires the row. Renewal keeps the token, and succeeds only while the row still
 * has this owner and token.
 */
@Injectable()
export class IntegrationLeaseRepository {
  private readonly lease: string;

  constructor(private readonly dataSource: DataSource, @Inject(DATABASE_SCHEMA) schema: string) {
    this.lease = `"${schema}"."integration_lease"`;
  }

  /** Takes the lease (a new token) when it is free or expired; null while another live instance holds it. */
  async acquire(integrationId: string, owner: string, ms: number): Promise<HeldLease | null> {
    const rows = (await this.dataSource.query(
      `INSERT INTO ${this.lease} AS l ("integration_id", "owner", "expires_at", "fencing_token") VALUES ($1, $2, now() + make_interval(secs => $3::double precision / 1000), 1)
       ON CONFLICT ("integration_id") DO UPDATE SET "owner" = EXCLUDED."owner", "expires_at" = EXCLUDED."expires_at", "fencing_token" = l."fencing_token" + 1
       WHERE l."expires_at" <= now()
       RETURNING "fencing_token"::text AS token, "paused_until"`,
      [integrationId, owner, ms],
    )) as { token: string; paused_until: Date | null }[];
    const row = rows[0];
    return row ? { token: row.token, pausedUntil: row.paused_until ? new Date(row.paused_until) : null } : null;
  }

  /** Extends the lease; false once another instance took it over (the token moved on). */
  async renew(integrationId: string, owner: string, token: string, ms: number): Promise<boolean> {
    const [, count] = (await this.dataSource.query(
      `UPDATE ${this.lease} SET "expires_at" = now() + make_interval(secs => $4::double precision / 1000)
       WHERE "integration_id" = $1 AND "owner" = $2 AND "fencing_token" = $3::bigint`,
      [integrationId, owner, token, ms],
    )) as [unknown, number];
    return count === 1;
  }

  /** Lets the lease go at once (the row and its token stay, so the next token is higher). */
  async release(integrationId: string, owner: string, token: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE ${this.lease} SET "expires_at" = now() - interval '1 millisecond' WHERE "integration_id" = $1 AND "owner" = $2 AND "fencing_token" = $3::bigint`,
      [integrationId, owner, token],
    );
  }

  /** A 429 pause of the integration's PagerDuty token, kept for whoever holds the lease next. */
  async pause(integrationId: string, until: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE ${this.lease} SET "paused_until" = GREATEST(COALESCE("paused_until", $2), $2) WHERE "integration_id" = $1`,
      [integrationId, until],
    );
  }

  async pausedUntil(integrationId: string): Promise<Date | null> {
    const [row] = (await this.dataSource.query(`SELECT "paused_until" FROM ${this.lease} WHERE "integration_id" = $1 AND "paused_until" > now()`, [integrationId])) as { paused_until: Date }[];
    return row ? new Date(row.paused_until) : null;
  }
}

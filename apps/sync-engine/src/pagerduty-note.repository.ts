import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/** Where a link first learned of a PagerDuty note: its webhook, or a reconciliation repair. */
export type NoteSource = 'webhook' | 'reconcile';

/**
 * The PagerDuty notes each link has processed (`pagerduty_note`, issue #14). Written in the
 * transaction that decides the note, under the link's row lock, so one note reaches the
 * platform timeline once whichever of its webhook and its repair comes first.
 */
@Injectable()
export class PagerDutyNoteRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Of `noteIds`, those the link has already processed (inside the handler's transaction). */
  async seenIn(em: EntityManager, linkId: string, noteIds: readonly string[]): Promise<Map<string, { source: NoteSource; seenAt: Date }>> {
    if (noteIds.length === 0) return new Map();
    const rows: { note_id: string; source: NoteSource; seen_at: Date }[] = await em.query(
      `SELECT "note_id", "source", "seen_at" FROM "pagerduty_note" WHERE "link_id" = $1 AND "note_id" = ANY($2::varchar[])`,
      [linkId, [...noteIds]],
    );
    return new Map(rows.map((r) => [r.note_id, { source: r.source, seenAt: new Date(r.seen_at) }]));
  }

  async record(em: EntityManager, link: { id: string; integrationId: string }, notes: readonly { id: string; notedAt: Date }[], source: NoteSource, now: Date): Promise<void> {
    for (const note of notes) {
      await em.query(
        `INSERT INTO "pagerduty_note" ("link_id", "note_id", "integration_id", "source", "noted_at", "seen_at") VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
        [link.id, note.id, link.integrationId, source, note.notedAt, now],
      );
    }
  }

  /** Outside a transaction: per link, how many notes it processed whose PagerDuty time is in [from, to). */
  async processedBetween(linkIds: readonly string[], from: Date, to: Date): Promise<Map<string, number>> {
    if (linkIds.length === 0 || to.getTime() <= from.getTime()) return new Map();
    const rows: { link_id: string; count: string }[] = await this.dataSource.query(
      `SELECT "link_id", count(*) AS "count" FROM "pagerduty_note" WHERE "link_id" = ANY($1::uuid[]) AND "noted_at" >= $2 AND "noted_at" < $3 GROUP BY "link_id"`,
      [[...linkIds], from, to],
    );
    return new Map(rows.map((r) => [r.link_id, Number(r.count)]));
  }

  /**
   * Outside a transaction: the notes of a PagerDuty incident its link has processed (a hint; the
   * transaction decides); null when the incident is not linked.
   */
  async seenForIncident(integrationId: string, pdIncidentId: string, noteIds: readonly string[]): Promise<Set<string> | null> {
    const rows: { note_id: string | null }[] = await this.dataSource.query(
      `SELECT n."note_id" FROM "incident_link" l LEFT JOIN "pagerduty_note" n ON n."link_id" = l."id" AND n."note_id" = ANY($3::varchar[])
        WHERE l."integration_id" = $1 AND l."pd_incident_id" = $2`,
      [integrationId, pdIncidentId, [...noteIds]],
    );
    if (rows.length === 0) return null;
    return new Set(rows.map((r) => r.note_id).filter((id): id is string => id !== null));
  }

  /** Outside a transaction: the notes each of these links has processed (reconciliation). */
  async seenByLinks(linkIds: readonly string[]): Promise<Map<string, Set<string>>> {
    const seen = new Map<string, Set<string>>();
    if (linkIds.length === 0) return seen;
    const rows: { link_id: string; note_id: string }[] = await this.dataSource.query(
      `SELECT "link_id", "note_id" FROM "pagerduty_note" WHERE "link_id" = ANY($1::uuid[])`, [[...linkIds]],
    );
    for (const r of rows) seen.set(r.link_id, (seen.get(r.link_id) ?? new Set()).add(r.note_id));
    return seen;
  }
}

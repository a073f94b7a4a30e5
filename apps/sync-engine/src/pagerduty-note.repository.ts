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

  async record(em: EntityManager, link: { id: string; integrationId: string }, noteIds: readonly string[], source: NoteSource, now: Date): Promise<void> {
    for (const noteId of noteIds) {
      await em.query(
        `INSERT INTO "pagerduty_note" ("link_id", "note_id", "integration_id", "source", "seen_at") VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
        [link.id, noteId, link.integrationId, source, now],
      );
    }
  }

  /** Outside a transaction: the notes of a PagerDuty incident its link has processed (a hint; the transaction decides). */
  async seenForIncident(integrationId: string, pdIncidentId: string, noteIds: readonly string[]): Promise<Set<string>> {
    if (noteIds.length === 0) return new Set();
    const rows: { note_id: string }[] = await this.dataSource.query(
      `SELECT n."note_id" FROM "pagerduty_note" n JOIN "incident_link" l ON l."id" = n."link_id"
        WHERE l."integration_id" = $1 AND l."pd_incident_id" = $2 AND n."note_id" = ANY($3::varchar[])`,
      [integrationId, pdIncidentId, [...noteIds]],
    );
    return new Set(rows.map((r) => r.note_id));
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

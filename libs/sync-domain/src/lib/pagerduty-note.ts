import { isOurNote } from './echo-suppression';
import type { IntegrationSettings } from './integration-settings';
import type { LinkState } from './link-state.types';
import type { EpochMs } from './sync-field.types';
import type { ExternalChange, TimelineEntry } from './sync-input.types';

/**
 * PagerDuty notes read over REST (`GET /incidents/{id}/notes`, FACTS §2.3) for the two cases a
 * webhook alone cannot cover (issue #14): an `incident.annotated` delivery PagerDuty dropped
 * (reconciliation finds the note and adds it), and a note whose webhook body was cut
 * (`trimmed: true`, FACTS §1.5: fetch the full note over REST before applying it).
 */
export interface PagerDutyNote {
  id: string;
  content: string;
  createdAt: EpochMs;
  /** `note.user`: who wrote it (`bot_user_reference` when a PagerDuty service did). */
  user: { id: string; type: string | null; summary: string | null } | null;
}

type JsonObject = { readonly [key: string]: unknown };
const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** The key a note's platform timeline entry is deduplicated by (the webhook path uses the same). */
export const NOTE_DEDUPE_PREFIX = 'pagerduty-note:';

/** Notes of a `GET /incidents/{id}/notes` answer (`{notes: [...]}`); malformed items are skipped. */
export function parsePagerDutyNotes(body: unknown): PagerDutyNote[] {
  const list = isObject(body) && Array.isArray(body['notes']) ? (body['notes'] as unknown[]) : [];
  const notes: PagerDutyNote[] = [];
  for (const item of list) {
    if (!isObject(item)) continue;
    const id = str(item['id']);
    const content = str(item['content']);
    const createdAt = Date.parse(str(item['created_at']) ?? '');
    if (id === null || content === null || !Number.isFinite(createdAt)) continue;
    const user = isObject(item['user']) ? item['user'] : null;
    const userId = user === null ? null : str(user['id']);
    notes.push({
      id,
      content,
      createdAt,
      user: user === null || userId === null ? null : { id: userId, type: str(user['type']), summary: str(user['summary']) },
    });
  }
  return notes;
}

/** The PagerDuty note id a timeline entry was made from; null for anything else. */
export function pagerDutyNoteIdOf(entry: TimelineEntry): string | null {
  if (entry.kind !== 'note' || !entry.dedupeKey.startsWith(NOTE_DEDUPE_PREFIX)) return null;
  return entry.dedupeKey.slice(NOTE_DEDUPE_PREFIX.length);
}

/**
 * What reconciliation does with each note of a linked incident:
 * - `missing`: written in the window by someone other than us, and no webhook (or earlier
 *   repair) brought it: it is added to the platform timeline;
 * - `seen`: the link already processed it (its webhook, or an earlier repair);
 * - `ours`: written by our bot user or one we posted (a copy of a platform note): never copied back;
 * - `before-window`: older than the window the pass looks at (an earlier pass's).
 */
export type NoteVerdict = 'missing' | 'seen' | 'ours' | 'before-window';

export function notesToRepair(
  notes: readonly PagerDutyNote[],
  input: { seenNoteIds: ReadonlySet<string>; since: EpochMs; state: LinkState; settings: Pick<IntegrationSettings, 'botUserId'> },
): { note: PagerDutyNote; verdict: NoteVerdict }[] {
  const bot = input.settings.botUserId ?? null;
  return notes.map((note) => {
    if (input.seenNoteIds.has(note.id)) return { note, verdict: 'seen' as const };
    if ((bot !== null && note.user?.id === bot) || isOurNote(input.state, note.content)) return { note, verdict: 'ours' as const };
    if (note.createdAt < input.since) return { note, verdict: 'before-window' as const };
    return { note, verdict: 'missing' as const };
  });
}

/**
 * The `event.data` of an `incident.annotated` webhook for a note read over REST (the shape of
 * FACTS §1.2 / the official `incident_note` data type), so a repair is parsed exactly like the
 * delivery it stands for and lands under the same dedupe key.
 */
export function annotatedDataOf(pdIncidentId: string, note: PagerDutyNote): Record<string, unknown> {
  return { id: note.id, type: 'incident_note', content: note.content, trimmed: false, incident: { id: pdIncidentId, type: 'incident_reference' } };
}

/**
 * A change whose note entries PagerDuty trimmed, with each one's full text from `notes` (the
 * REST read). `missing`: trimmed notes the read did not return (deleted since, FACTS §2.3):
 * their cut text stays, marked as cut.
 */
export function completeTrimmedNotes(change: ExternalChange, notes: readonly PagerDutyNote[]): { change: ExternalChange; completed: string[]; missing: string[] } {
  const byId = new Map(notes.map((n) => [n.id, n]));
  const completed: string[] = [];
  const missing: string[] = [];
  const timeline = change.timeline.map((entry) => {
    if (entry.trimmed !== true) return entry;
    const id = pagerDutyNoteIdOf(entry);
    const full = id === null ? undefined : byId.get(id);
    if (full === undefined) {
      missing.push(id ?? entry.dedupeKey);
      return entry;
    }
    completed.push(full.id);
    return { ...entry, text: full.content, trimmed: false };
  });
  return { change: { ...change, timeline }, completed, missing };
}

/** Whether a change carries a note PagerDuty trimmed (its full text must be read first). */
export function hasTrimmedNote(change: ExternalChange): boolean {
  return change.timeline.some((e) => e.trimmed === true && pagerDutyNoteIdOf(e) !== null);
}

// The OpenAPI document's example of GET /incidents/{id}/notes (libs/pagerduty/fixtures/rest-examples/get_incidents_id_notes.200.response.json).
import notesExample from '../__fixtures__/notes.openapi-example.json';
import { decideInbound } from './decide-inbound';
import { parsePagerDutyEvent } from './parse-pagerduty-event';
import { annotatedDataOf, completeTrimmedNotes, hasTrimmedNote, notesToRepair, pagerDutyNoteIdOf, parsePagerDutyNotes, type PagerDutyNote } from './pagerduty-note';
import { linkedState, noteWebhook, settings, T0 } from '../testing/sync-builders';

const note = (id: string, content: string, at: number, userId = 'PHUMAN1'): PagerDutyNote => ({ id, content, createdAt: at, user: { id: userId, type: 'user_reference', summary: `User ${userId}` } });

describe('parsePagerDutyNotes', () => {
  it('reads the OpenAPI example of GET /incidents/{id}/notes, bot-written notes included', () => {
    const notes = parsePagerDutyNotes(notesExample);
    expect(notes).toEqual([
      { id: 'PWL7QXS', content: 'Firefighters are on the scene.', createdAt: Date.parse('2013-03-06T15:28:51-05:00'), user: { id: 'PXPGF42', type: 'user_reference', summary: 'Earline Greenholt' } },
      { id: 'PCQC25', content: 'Initial alert information indicates a 1-alarm fire', createdAt: Date.parse('2013-03-06T15:28:42-05:00'), user: { id: 'PXPGF42', type: 'bot_user_reference', summary: 'A Global Event Rule' } },
    ]);
  });

  it('skips malformed items and answers [] for a body without notes', () => {
    expect(parsePagerDutyNotes({ notes: [{ id: 'P1' }, null, { id: 'P2', content: 'x', created_at: 'not a time' }, { id: 'P3', content: 'ok', created_at: '2026-01-01T00:00:00Z' }] }).map((n) => n.id)).toEqual(['P3']);
    expect(parsePagerDutyNotes({})).toEqual([]);
    expect(parsePagerDutyNotes('nope')).toEqual([]);
  });
});

describe('notesToRepair', () => {
  const state = linkedState();
  it('a note no webhook brought is missing; one the link saw, one of ours, one before the window are not', () => {
    const ourState = { ...state, postedNotes: ['Description changed on the platform'] };
    const verdicts = notesToRepair(
      [note('PA', 'new', T0 + 10), note('PB', 'seen', T0 + 10), note('PC', 'by the bot', T0 + 10, 'PBOT001'), note('PD', 'Description changed on the platform', T0 + 10), note('PE', 'old', T0 - 10)],
      { seenNoteIds: new Set(['PB']), since: T0, state: ourState, settings: { botUserId: 'PBOT001' } },
    );
    expect(verdicts.map((v) => [v.note.id, v.verdict])).toEqual([['PA', 'missing'], ['PB', 'seen'], ['PC', 'ours'], ['PD', 'ours'], ['PE', 'before-window']]);
  });

  it('without a bot user only the journal of posted notes tells ours apart', () => {
    const verdicts = notesToRepair([note('PC', 'by the bot', T0 + 10, 'PBOT001')], { seenNoteIds: new Set(), since: T0, state, settings: { botUserId: null } });
    expect(verdicts.map((v) => v.verdict)).toEqual(['missing']);
  });
});

describe('a repaired note is the webhook it stands for', () => {
  it('annotatedDataOf parses to the same timeline entry (same dedupe key) as the delivery', () => {
    const delivered = parsePagerDutyEvent(noteWebhook('Running KILL on long queries', { at: T0 + 5, noteId: 'PNOTE77' }));
    const repaired = parsePagerDutyEvent({ event: { id: 'reconcile-note:PNOTE77', event_type: 'incident.annotated', resource_type: 'incident', occurred_at: new Date(T0 + 5).toISOString(), agent: { id: 'PHUMAN1', type: 'user_reference', summary: 'User PHUMAN1' }, client: null, data: annotatedDataOf('PINC001', note('PNOTE77', 'Running KILL on long queries', T0 + 5)) } });
    expect(repaired.timeline).toEqual(delivered.timeline);
    expect(repaired.timeline.map(pagerDutyNoteIdOf)).toEqual(['PNOTE77']);
    const decided = decideInbound(linkedState(), repaired, settings(), T0 + 6);
    expect(decided.timeline).toHaveLength(1);
  });
});

describe('completeTrimmedNotes', () => {
  it('replaces a trimmed note\'s cut text with the full note read over REST', () => {
    const full = 'x'.repeat(70000);
    const webhook = noteWebhook(full.slice(0, 100), { at: T0, noteId: 'PLONG1' });
    (webhook.event['data'] as Record<string, unknown>)['trimmed'] = true;
    const change = parsePagerDutyEvent(webhook);
    expect(hasTrimmedNote(change)).toBe(true);
    const done = completeTrimmedNotes(change, [note('POTHER', 'other', T0), note('PLONG1', full, T0)]);
    expect(done.completed).toEqual(['PLONG1']);
    expect(done.missing).toEqual([]);
    expect(done.change.timeline[0]).toMatchObject({ text: full, trimmed: false, dedupeKey: 'pagerduty-note:PLONG1' });
    expect(hasTrimmedNote(done.change)).toBe(false);
  });

  it('a trimmed note the read does not return (deleted since) keeps its cut text and is reported', () => {
    const webhook = noteWebhook('cut', { at: T0, noteId: 'PGONE' });
    (webhook.event['data'] as Record<string, unknown>)['trimmed'] = true;
    const done = completeTrimmedNotes(parsePagerDutyEvent(webhook), []);
    expect(done).toMatchObject({ completed: [], missing: ['PGONE'] });
    expect(done.change.timeline.map((e) => e.text)).toEqual(['cut']);
  });

  it('an untrimmed note needs no read', () => {
    expect(hasTrimmedNote(parsePagerDutyEvent(noteWebhook('short', { at: T0 })))).toBe(false);
  });
});

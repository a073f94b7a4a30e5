import type { IntegrationRuntimeConfig } from '@incident-sync/integration-config-client';
import { PagerDutyApiError } from '@incident-sync/pagerduty';
import { failureClassOf } from '@incident-sync/contracts';
import { parsePagerDutyEvent } from '@incident-sync/sync-domain';
import type { PagerDutyNoteRepository } from './pagerduty-note.repository';
import type { PagerDutyReads } from './pagerduty-reads.service';
import { TrimmedNotes } from './trimmed-notes';

const config = { id: 'int-1' } as IntegrationRuntimeConfig;
const FULL = 'Full text. '.repeat(8000);

function trimmedWebhook(noteId = 'PNOTE1'): ReturnType<typeof parsePagerDutyEvent> {
  return parsePagerDutyEvent({ event: {
    id: '01TRIM', event_type: 'incident.annotated', resource_type: 'incident', occurred_at: '2026-12-03T10:00:00.000Z',
    agent: { id: 'PUSER1', type: 'user_reference', summary: 'Carol' }, client: null,
    data: { incident: { id: 'PINC1', type: 'incident_reference' }, id: noteId, content: FULL.slice(0, 100), trimmed: true, type: 'incident_note' },
  } });
}

function setUp(read: () => Promise<unknown>, seen: Set<string> | null = new Set()): { trimmed: TrimmedNotes; reads: jest.Mock } {
  const reads = jest.fn(async (_config: unknown, _what: string, call: (client: unknown) => Promise<unknown>) => call({ listNotes: async () => ({ data: await read() }) }));
  const notes = { seenForIncident: jest.fn(async () => seen) };
  return { trimmed: new TrimmedNotes({ run: reads } as unknown as PagerDutyReads, notes as unknown as PagerDutyNoteRepository), reads };
}

describe('TrimmedNotes (a webhook note PagerDuty trimmed is completed over REST)', () => {
  it('replaces the cut text with the note read from GET /incidents/{id}/notes, through the integration\'s reads', async () => {
    const { trimmed, reads } = setUp(async () => ({ notes: [{ id: 'PNOTE1', content: FULL, created_at: '2026-12-03T10:00:00Z', user: { id: 'PUSER1', type: 'user_reference' } }] }));
    const done = await trimmed.complete(config, trimmedWebhook(), null);
    expect(reads).toHaveBeenCalledWith(config, 'GET /incidents/{id}/notes', expect.any(Function));
    expect(done.change.timeline.map((e) => [e.text, e.trimmed])).toEqual([[FULL, false]]);
    expect(done.notices).toEqual([expect.objectContaining({ outcome: 'applied', reason: expect.stringContaining('full text was read over REST') })]);
  });

  it('a transient failure (5xx) is thrown as is, so the consumer parks the incident\'s message and retries it', async () => {
    const { trimmed } = setUp(async () => { throw new PagerDutyApiError('GET /incidents/PINC1/notes answered 503', 503, null, true, null, null); });
    const error = await trimmed.complete(config, trimmedWebhook(), null).catch((e: unknown) => e);
    expect(failureClassOf(error).kind).toBe('transient');
  });

  it('a 4xx (the incident or note is gone) keeps the cut text and says so', async () => {
    const { trimmed } = setUp(async () => { throw new PagerDutyApiError('GET /incidents/PINC1/notes answered 404', 404, null, false, null, null); });
    const done = await trimmed.complete(config, trimmedWebhook(), null);
    expect(done.change.timeline.map((e) => e.text)).toEqual([FULL.slice(0, 100)]);
    expect(done.notices).toEqual([expect.objectContaining({ reason: expect.stringContaining('the cut text is applied') })]);
  });

  it('no read when the note was already processed (a repair came first) or the incident is not linked', async () => {
    for (const seen of [new Set(['PNOTE1']), null]) {
      const { trimmed, reads } = setUp(async () => ({ notes: [] }), seen);
      const done = await trimmed.complete(config, trimmedWebhook(), null);
      expect(reads).not.toHaveBeenCalled();
      expect(done.notices).toEqual([]);
    }
  });
});

import type { IntegrationRuntimeConfig } from '@incident-sync/integration-config-client';
import { PagerDutyApiError } from '@incident-sync/pagerduty';
import { completeTrimmedNotes, hasTrimmedNote, pagerDutyNoteIdOf, parsePagerDutyNotes, type ExternalChange, type FieldDecision } from '@incident-sync/sync-domain';
import type { PagerDutyNoteRepository } from './pagerduty-note.repository';
import type { PagerDutyReads } from './pagerduty-reads.service';

/**
 * Webhook notes PagerDuty trimmed (`trimmed: true`, FACTS §1.5/§3.7: the content was cut, fetch
 * the full note over REST) are completed before they are applied (issue #14). The read
 * (`GET /incidents/{id}/notes`) takes a token from the integration's budget like every
 * sync-engine read; a transient failure (429, 5xx, timeout, no token in time) is thrown, so the
 * consumer parks this incident's message and retries it while other incidents flow. A note
 * the link already processed (a reconcile repair came first), or of an unlinked incident, needs no read; one PagerDuty no
 * longer returns (deleted since, or the incident is gone: a 4xx) keeps its cut text, said so.
 */
export class TrimmedNotes {
  constructor(private readonly reads: PagerDutyReads, private readonly notes: PagerDutyNoteRepository) {}

  async complete(config: IntegrationRuntimeConfig, change: ExternalChange, fallbackPdId: string | null): Promise<{ change: ExternalChange; notices: FieldDecision[] }> {
    if (!hasTrimmedNote(change)) return { change, notices: [] };
    const pdId = change.pagerDutyIncidentId ?? fallbackPdId;
    if (pdId === null) return { change, notices: [] };
    const trimmedIds = change.timeline.filter((e) => e.trimmed === true).map(pagerDutyNoteIdOf).filter((id): id is string => id !== null);
    const seen = await this.notes.seenForIncident(config.id, pdId, trimmedIds);
    // Not linked (the note is not applied anyway), or every trimmed note already processed: no read.
    if (seen === null || trimmedIds.every((id) => seen.has(id))) return { change, notices: [] };
    let body: unknown;
    try {
      body = (await this.reads.run(config, 'GET /incidents/{id}/notes', (client) => client.listNotes(pdId))).data;
    } catch (error) {
      if (!(error instanceof PagerDutyApiError && error.status >= 400 && error.status < 500 && error.status !== 408 && error.status !== 429)) throw error;
      body = { notes: [] };
    }
    const done = completeTrimmedNotes(change, parsePagerDutyNotes(body));
    const notices: FieldDecision[] = [
      ...done.completed.map((id): FieldDecision => ({
        field: null, side: 'external', outcome: 'applied',
        reason: `PagerDuty trimmed note ${id} in its webhook (trimmed: true); its full text was read over REST (GET /incidents/${pdId}/notes) before it is applied.`,
      })),
      ...done.missing.map((id): FieldDecision => ({
        field: null, side: 'external', outcome: 'applied',
        reason: `PagerDuty trimmed note ${id} in its webhook (trimmed: true) and no longer returns it over REST (deleted since?): the cut text is applied.`,
      })),
    ];
    return { change: done.change, notices };
  }
}

import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PagerDutyCommandResultV1 } from '@incident-sync/contracts';
import { IntegrationLookup } from '@incident-sync/integration-config-client';
import { Inbox } from '@incident-sync/persistence';
import { abandonWrite, acknowledgeWrite, type FieldDecision, type SyncDecision } from '@incident-sync/sync-domain';
import { inIssueOrder, refusedFieldsByDomainCommand, supersededFieldsByDomainCommand } from './coalesced-results';
import { DecisionCommitter, DecisionSource, linkRefOf } from './decision-committer.service';
import { IncidentLinkRepository } from './incident-link.repository';
import { toIntegrationSettings } from './to-domain-settings';
import { externalRefCommand } from './platform-command-builder';
import { PeerOwnership } from './peer-ownership.service';
import { PriorityDirectory } from './priority-directory.service';
import { KEYS_AS_GIVEN } from './priority-resolution';
import { landingStamp } from './landing-stamp';

export const RESULTS_INBOX = 'sync-engine-results';

/**
 * pagerduty.command.results → our PagerDuty writes are confirmed (or abandoned): a created
 * incident's id lands on the link, pending writes stop being pending (which is what lets a
 * later webhook be told apart from our echo), and the outbound journal row is settled.
 */
@Injectable()
export class CommandResultsService {
  private readonly inbox: Inbox;

  constructor(
    dataSource: DataSource,
    private readonly integrations: IntegrationLookup,
    private readonly links: IncidentLinkRepository,
    private readonly committer: DecisionCommitter,
    private readonly priorities: PriorityDirectory,
    private readonly peers: PeerOwnership,
  ) {
    this.inbox = new Inbox(dataSource, RESULTS_INBOX);
  }

  async handle(result: PagerDutyCommandResultV1): Promise<void> {
    const config = await this.integrations.byId(result.integrationId);
    const priorityId = config === null ? KEYS_AS_GIVEN : await this.priorities.resolverFor(config);
    const now = new Date();
    await this.inbox.runOnce(result.resultId, async (em) => {
      const journal: { command_id: string; domain_command_id: string; action: string }[] = await em.query(
        // A CTE: TypeORM answers a bare UPDATE … RETURNING with [rows, count], a SELECT with rows.
        `WITH settled AS (UPDATE "outbound_write" SET "settled_at" = COALESCE("settled_at", $2), "outcome" = $3, "error" = $4 WHERE "command_id" = ANY($1::uuid[])
         RETURNING "command_id", "domain_command_id", "action") SELECT * FROM settled`,
        [result.commandIds, now, result.outcome, result.error ? `${result.error.code}: ${result.error.message}` : null],
      );
      if (config === null) return;
      const link = await this.links.lockByPlatformIncident(em, result.integrationId, result.platformIncidentId);
      if (link === null) return;
      const settings = await this.peers.settingsWithPeers(em, toIntegrationSettings(config), link.platformIncidentId);
      const source: DecisionSource = { kind: 'command-result', id: result.resultId, eventType: `${result.action}.${result.outcome}` };
      const extraPlatformCommands = [];
      const pd = result.incident;
      if (result.outcome === 'succeeded' && pd && (link.pdIncidentId === null || link.pdIncidentId === pd.id)) {
        // Also when a webhook attached the id first: the platform learns the reference either way
        // (the command id derives from link + PagerDuty id, so a repeat is dropped by the incidents inbox).
        const learned = link.pdIncidentId === null || link.pdIncidentNumber === null || result.action === 'create_incident';
        link.pdIncidentId = pd.id;
        link.pdIncidentNumber ??= pd.number ?? null;
        link.pdHtmlUrl ??= pd.htmlUrl ?? null;
        if (learned) extraPlatformCommands.push(externalRefCommand(linkRefOf(link), { id: pd.id, number: link.pdIncidentNumber, url: link.pdHtmlUrl }, result.resultId, now));
      }
      const stamp = landingStamp(pd?.updatedAt, result.completedAt);
      const fieldRows = journal.filter((row) => !row.domain_command_id.includes('/note/'));
      const domainIds = [...new Set(inIssueOrder(fieldRows, result).map((row) => row.domain_command_id))];
      const superseded = supersededFieldsByDomainCommand(fieldRows, result);
      const refused = refusedFieldsByDomainCommand(fieldRows, result);
      const notes: FieldDecision[] = journal
        .filter((row) => row.domain_command_id.includes('/note/'))
        .map((): FieldDecision => result.outcome === 'succeeded'
          ? { field: null, side: 'external', outcome: 'write-confirmed', reason: 'PagerDuty stored the platform note.' }
          : { field: null, side: 'external', outcome: 'write-abandoned', reason: `PagerDuty refused the platform note (${result.error?.message ?? 'unknown error'}).` });
      let first = true;
      for (const domainId of domainIds.length > 0 ? domainIds : [null]) {
        const before = link.state;
        let decision: SyncDecision;
        if (domainId === null) {
          decision = { state: before, platformWrite: null, externalWrite: null, timeline: [], conflictsOpened: [], decisions: [] };
        } else if (result.outcome === 'succeeded') {
          const notSent = superseded.get(domainId) ?? [];
          const notTaken = refused.get(domainId) ?? [];
          decision = acknowledgeWrite(before, {
            side: 'external', commandId: domainId, stamp: Number.isFinite(stamp) ? stamp : now.getTime(),
            ...(notSent.length > 0 ? { superseded: notSent } : {}),
            ...(notTaken.length > 0 ? { refused: { fields: notTaken, reason: result.refused?.reason ?? 'PagerDuty refused it' } } : {}),
          }, settings, now.getTime());
        } else {
          const reason = result.error ? `${result.error.code}${result.error.httpStatus ? ` ${result.error.httpStatus}` : ''}: ${result.error.message}` : 'the dispatcher gave up';
          decision = abandonWrite(before, { side: 'external', commandId: domainId, reason }, settings, now.getTime());
          if (result.action === 'create_incident') {
            decision.decisions.unshift({ field: null, side: 'external', outcome: 'not-created', reason: `PagerDuty did not create the incident: ${reason}. The link stays reserved; it lands in the DLQ for replay.` });
          }
        }
        if (first) decision.decisions.push(...notes);
        await this.committer.commit(em, { settings, link, before, decision, source, priorityId, now, extraPlatformCommands: first ? extraPlatformCommands : [] });
        first = false;
      }
    });
  }
}

import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { PlatformIncidentChangedV1, SkipReason } from '@incident-sync/contracts';
import { IntegrationLookup, type IntegrationRuntimeConfig } from '@incident-sync/integration-config-client';
import { Inbox } from '@incident-sync/persistence';
import {
  SYNC_FIELDS,
  decideOutbound,
  skippedPlatformWrite,
  type AbandonedWrite,
  planCreateInPagerDuty,
  syncFlow,
  type FieldDecision,
  type IntegrationSettings,
  type LinkState,
  type PlatformChange,
  type SyncDecision,
  type SyncField,
} from '@incident-sync/sync-domain';
import { DecisionCommitter, DecisionSource, linkRefOf, UnknownUserSighting } from './decision-committer.service';
import { deterministicUuid } from '@incident-sync/contracts';
import { platformCommandUuid } from './command-ids';
import { IncidentLinkEntity } from './incident-link.entity';
import { IncidentLinkRepository } from './incident-link.repository';
import { pagerDutyCreateTarget, toIntegrationSettings } from './to-domain-settings';
import { isClosedForBackfill } from './backfill-job';
import { createCommands, noteCommand, PriorityResolver } from './pagerduty-command-builder';
import { platformNoteContent, toPlatformChange, toPlatformSnapshot } from './platform-change';
import { PeerOwnership } from './peer-ownership.service';
import { PriorityDirectory } from './priority-directory.service';
import { UserDirectory } from './user-directory.service';

export const OUTBOUND_INBOX = 'sync-engine-outbound';

interface Prepared {
  config: IntegrationRuntimeConfig;
  settings: IntegrationSettings;
  priorityId: PriorityResolver;
  unknown: UnknownUserSighting[];
}

/**
 * The origin of our own platform write names the command UUID; the domain knows the write
 * by its `<linkId>/<seq>` id. Map it back (or drop it: the domain then matches by value).
 */
export function withDomainCommandId(change: PlatformChange, state: LinkState): PlatformChange {
  if (change.origin.type !== 'integration' || !change.origin.commandId) return change;
  const uuid = change.origin.commandId;
  for (const field of SYNC_FIELDS) {
    for (const write of state.fields[field].pending.platform) {
      if (platformCommandUuid(write.commandId) === uuid) return { ...change, origin: { ...change.origin, commandId: write.commandId } };
    }
  }
  return { ...change, origin: { ...change.origin, commandId: null } };
}

const SKIP_TEXT: Record<SkipReason, string> = {
  changed_since: 'someone changed it on the platform after the sync read it',
  illegal_transition: "the platform's status rules do not allow it",
  invalid_value: 'the platform cannot hold the value',
};

/**
 * The fields of our own platform write that the incidents service skipped (the event's
 * `skipped`), as a write to abandon: until then every later write of the field expected the
 * skipped value to be there (its compare-and-set base) and was skipped in turn, for ever.
 */
export function skippedWriteOf(change: PlatformChange, event: PlatformIncidentChangedV1, integrationId: string): (AbandonedWrite & { side: 'platform'; fields: SyncField[]; changedSince: SyncField[] }) | null {
  const origin = change.origin;
  if (origin.type !== 'integration' || origin.integrationId !== integrationId || !origin.commandId) return null;
  const skipped = (event.skipped ?? []).filter((s) => (SYNC_FIELDS as readonly string[]).includes(s.field));
  if (skipped.length === 0) return null;
  const reasons = [...new Set(skipped.map((s) => SKIP_TEXT[s.reason]))];
  return {
    side: 'platform',
    commandId: origin.commandId,
    fields: skipped.map((s) => s.field as SyncField),
    changedSince: skipped.filter((s) => s.reason === 'changed_since').map((s) => s.field as SyncField),
    reason: `the platform did not write it: ${reasons.join('; ')}`,
  };
}

/**
 * platform.incident.changed → pagerduty.commands (issue #9), for every PagerDuty integration
 * of the organization that is linked to the incident or eligible for it. One transaction per
 * event covers all of them.
 */
@Injectable()
export class OutboundSyncService {
  private readonly inbox: Inbox;

  constructor(
    dataSource: DataSource,
    private readonly integrations: IntegrationLookup,
    private readonly users: UserDirectory,
    private readonly priorities: PriorityDirectory,
    private readonly links: IncidentLinkRepository,
    private readonly committer: DecisionCommitter,
    private readonly peers: PeerOwnership,
  ) {
    this.inbox = new Inbox(dataSource, OUTBOUND_INBOX);
  }

  async handle(event: PlatformIncidentChangedV1): Promise<void> {
    // A backfill announcement is for the one integration whose outbound backfill asked for it.
    const target = event.changeType === 'backfill' ? event.backfill?.integrationId ?? null : undefined;
    const configs = (await this.integrations.allInOrganization(event.organizationId))
      .filter((c) => c.type === 'pagerduty' && (target === undefined || c.id === target));
    const prepared: Prepared[] = [];
    for (const config of configs) {
      const base = toIntegrationSettings(config);
      if (!syncFlow(base).outbound) {
        prepared.push({ config, settings: base, priorityId: (k) => k, unknown: [] });
        continue;
      }
      const lookup = await this.users.forEmails(config, [event.incident.assignedTo]);
      prepared.push({ config, settings: toIntegrationSettings(config, lookup.pairs), priorityId: await this.priorities.resolverFor(config), unknown: lookup.unknown });
    }
    const now = new Date();
    const known = new Map(prepared.map((p) => [p.config.id, p.settings] as const));
    await this.inbox.runOnce(event.eventId, async (em) => {
      for (const p of prepared) {
        const settings = await this.peers.settingsWithPeers(em, p.settings, event.incidentId, known);
        await this.decideFor(em, { ...p, settings }, event, now);
      }
    });
  }

  private async decideFor(em: EntityManager, p: Prepared, event: PlatformIncidentChangedV1, now: Date): Promise<void> {
    const { config, settings } = p;
    const source: DecisionSource = { kind: 'platform-change', id: event.eventId, eventType: `platform.${event.changeType}` };
    const link = await this.links.lockByPlatformIncident(em, config.id, event.incidentId);
    if (link === null) {
      if (event.changeType === 'created' || event.changeType === 'backfill') await this.createInPagerDuty(em, p, event, source, now);
      return;
    }
    // Backfill of an incident linked meanwhile (a live create, an earlier run): nothing to push.
    if (event.changeType === 'backfill') return;
    if (event.changeType === 'note_added') {
      await this.copyNote(em, p, link, event, source, now);
      return;
    }
    let before = link.state;
    const change = withDomainCommandId(toPlatformChange(event), before);
    const skipped = skippedWriteOf(change, event, config.id);
    if (skipped !== null) {
      const dropped = skippedPlatformWrite(before, skipped, toPlatformSnapshot(event), settings, now.getTime());
      await this.committer.commit(em, { settings, link, before, decision: dropped, source, priorityId: p.priorityId, now });
      before = link.state;
      if (Object.keys(change.changes).length === 0) return;
    }
    const decision = decideOutbound(before, change, settings, now.getTime());
    const unknownUsers = decision.decisions.some((d) => d.outcome === 'unknown-user') ? p.unknown : [];
    await this.committer.commit(em, { settings, link, before, decision, source, priorityId: p.priorityId, now, unknownUsers });
  }

  /**
   * A new platform incident becomes a PagerDuty incident when the integration syncs outbound
   * and the incident type maps to a PagerDuty service (or a default service is set). The
   * link is reserved here, before the create is even sent. The outbound backfill's
   * announcements (`backfill`) come here too, so they follow the same rule; the backfill does
   * not push resolved or closed incidents.
   */
  private async createInPagerDuty(em: EntityManager, p: Prepared, event: PlatformIncidentChangedV1, source: DecisionSource, now: Date): Promise<void> {
    const { config, settings } = p;
    if (event.origin.type === 'integration' && event.origin.integrationId === config.id) return;
    const unlinked = { id: null, organizationId: config.organizationId, integrationId: config.id, platformIncidentId: event.incidentId, pdIncidentId: null };
    if (event.changeType === 'backfill' && isClosedForBackfill(event.incident.status)) {
      const reason = `No PagerDuty incident is created: the backfill does not push ${event.incident.status} incidents (it would open and page an incident that is over).`;
      await this.committer.recordDecisions(em, unlinked, [{ field: null, side: 'platform', outcome: 'not-created', reason }], source, now);
      return;
    }
    const { serviceId, reason } = pagerDutyCreateTarget(config, event.incident.incidentType ?? null);
    if (syncFlow(settings).outbound && serviceId === null) {
      await this.committer.recordDecisions(em, unlinked, [{ field: null, side: 'platform', outcome: 'not-created', reason }], source, now);
      return;
    }
    const linkId = deterministicUuid(`link:${config.id}:platform:${event.incidentId}`);
    const plan = planCreateInPagerDuty({ linkId, incidentKey: event.incidentId, incident: toPlatformSnapshot(event) }, settings, now.getTime());
    if (plan.command === null || plan.state === null || serviceId === null) {
      await this.committer.recordDecisions(em, unlinked, plan.decisions, source, now);
      return;
    }
    const link = Object.assign(new IncidentLinkEntity(), {
      id: linkId,
      organizationId: config.organizationId,
      integrationId: config.id,
      platformIncidentId: event.incidentId,
      pdIncidentId: null,
      pdIncidentNumber: null,
      pdHtmlUrl: null,
      state: plan.state,
      createdAt: now,
      lastSyncedAt: now,
      lastDirection: 'outbound',
    });
    await this.links.insert(em, link);
    const decision: SyncDecision = { state: plan.state, platformWrite: null, externalWrite: null, timeline: [], conflictsOpened: [], decisions: plan.decisions };
    await this.committer.commit(em, { settings,
      link, before: plan.state, decision, source, priorityId: p.priorityId, now,
      unknownUsers: plan.decisions.some((d) => d.outcome === 'unknown-user') ? p.unknown : [],
      extraPagerDutyCommands: createCommands(linkRefOf(link), plan.command, serviceId, p.priorityId, source.id, now),
    });
  }

  /** A platform note becomes a PagerDuty note (issue #9); notes the sync itself wrote are not sent back. */
  private async copyNote(em: EntityManager, p: Prepared, link: IncidentLinkEntity, event: PlatformIncidentChangedV1, source: DecisionSource, now: Date): Promise<void> {
    const note = event.note;
    const flow = syncFlow(p.settings);
    let decision: FieldDecision;
    const extra = [];
    if (!note) {
      decision = { field: null, side: 'platform', outcome: 'no-change', reason: 'A note event without a note; nothing to copy.' };
    } else if (event.origin.type === 'integration') {
      decision = { field: null, side: 'platform', outcome: 'echo', reason: 'The note was written by an integration; it is not copied to PagerDuty.' };
    } else if (!flow.outbound) {
      decision = { field: null, side: 'platform', outcome: p.config.enabled ? 'direction-blocked' : 'sync-paused', reason: 'A platform note is not copied: outbound sync is off.' };
    } else {
      extra.push(noteCommand(linkRefOf(link), note.id, platformNoteContent(note), source.id, now));
      decision = { field: null, side: 'platform', outcome: 'applied', reason: `A platform note by ${note.author} is added to the PagerDuty incident as a note.` };
    }
    const same: SyncDecision = { state: link.state, platformWrite: null, externalWrite: null, timeline: [], conflictsOpened: [], decisions: [decision] };
    await this.committer.commit(em, { settings: p.settings, link, before: link.state, decision: same, source, priorityId: p.priorityId, now, extraPagerDutyCommands: extra });
  }
}

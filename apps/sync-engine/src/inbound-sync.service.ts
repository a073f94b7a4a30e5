import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppError, isUuid, PagerDutyWebhookReceivedV1 } from '@incident-sync/contracts';
import { IntegrationLookup, type IntegrationRuntimeConfig } from '@incident-sync/integration-config-client';
import { Inbox } from '@incident-sync/persistence';
import { authorshipOf, decideInbound, parsePagerDutyEvent, parsePagerDutyIncidentSnapshot, planCreateOnPlatform, planPagerDutyMerge, syncFlow, type ExternalChange, type FieldDecision, type IntegrationSettings, type SyncDecision } from '@incident-sync/sync-domain';
import { DecisionCommitter, DecisionSource, linkRefOf, UnknownUserSighting } from './decision-committer.service';
import type { PriorityResolver } from './pagerduty-command-builder';
import { deterministicUuid } from '@incident-sync/contracts';
import { IncidentLinkEntity } from './incident-link.entity';
import { IncidentLinkRepository } from './incident-link.repository';
import { serviceMappingOf, toIntegrationSettings, unmappedServicePolicyOf } from './to-domain-settings';
import { incidentDataOf } from './pagerduty-event-data';
import { PagerDutyReads } from './pagerduty-reads.service';
import { PeerOwnership } from './peer-ownership.service';
import { PriorityDirectory } from './priority-directory.service';
import { BACKFILL_EVENT_TYPE, driftOf, RECONCILE_EVENT_TYPE } from './reconcile-drift';
import { externalRefCommand, platformCreateCommand } from './platform-command-builder';
import { PagerDutyApiError } from '@incident-sync/pagerduty';
import { UserDirectory } from './user-directory.service';

export const INBOUND_INBOX = 'sync-engine-inbound';
/** A paused integration's parked delivery is looked at again this often (sooner when it is enabled: the change wakes it). */
const PAUSED_RETRY_MS = 60000;

/**
 * pagerduty.webhook.received → platform commands (issue #8). One transaction per webhook:
 * inbox, link row lock, the pure decision, new state, history, conflicts and the commands
 * through the outbox.
 */
@Injectable()
export class InboundSyncService {
  private readonly logger = new Logger(InboundSyncService.name);
  private readonly inbox: Inbox;

  constructor(
    dataSource: DataSource,
    private readonly integrations: IntegrationLookup,
    private readonly users: UserDirectory,
    private readonly priorities: PriorityDirectory,
    private readonly reads: PagerDutyReads,
    private readonly links: IncidentLinkRepository,
    private readonly committer: DecisionCommitter,
    private readonly peers: PeerOwnership,
  ) {
    this.inbox = new Inbox(dataSource, INBOUND_INBOX);
  }

  async handle(message: PagerDutyWebhookReceivedV1): Promise<void> {
    const config = await this.integrations.byId(message.integrationId);
    if (config === null || config.organizationId !== message.organizationId) {
      this.logger.warn({ msg: 'webhook for an unknown integration ignored', receiptId: message.receiptId, integrationId: message.integrationId, organizationId: message.organizationId });
      return;
    }
    if (!config.enabled) {
      // Paused: the delivery is kept (parked under its incident, in order) and applied once the
      // integration is enabled again; the config-changed event wakes it (issue #14).
      throw new AppError('INTEGRATION_PAUSED', `integration ${config.id} is paused (disabled); PagerDuty event ${message.eventId} waits until it is enabled`, undefined, { retryAfterMs: PAUSED_RETRY_MS });
    }
    // A reconcile pass's or a backfill's read of the incident (issue #14) goes through the same rules as a webhook.
    const backfill = message.eventType === BACKFILL_EVENT_TYPE;
    const polled = backfill || message.eventType === RECONCILE_EVENT_TYPE;
    const change = polled
      ? parsePagerDutyIncidentSnapshot(message.event['data'], Date.parse(message.occurredAt), config.priorityMapping)
      : parsePagerDutyEvent({ event: message.event }, config.priorityMapping);
    // A merged source (resolve_reason merge_resolve_reason): the target is read first, so an
    // unlinked target's current values can be taken over when the link moves to it (pagerduty-merge.ts).
    const mergedInto = incidentDataOf(message.event).mergedInto;
    const mergeTarget = mergedInto === null || backfill ? null : await this.mergeTargetOf(config, mergedInto);
    // Users and priorities are looked up before the transaction (PagerDuty calls, cached).
    const lookup = await this.users.forPagerDutyUsers(config, [change.observed.assigned_to, ...(mergeTarget?.change ? [mergeTarget.change.observed.assigned_to] : [])]);
    const settings = toIntegrationSettings(config, lookup.pairs);
    const priorityId = await this.priorities.resolverFor(config);
    if (change.eventType === 'incident.escalated' && config.syncEscalations) await this.describeEscalation(config, change);
    const now = new Date();
    await this.inbox.runOnce(message.receiptId, async (em) => {
      if (!polled) await this.recordProgress(em, config.id, message, now);
      const pdIncidentId = change.pagerDutyIncidentId ?? message.pdIncidentId;
      const source: DecisionSource = { kind: backfill ? 'backfill' : polled ? 'reconcile' : 'webhook', id: message.eventId, eventType: change.rawEventType || message.eventType };
      const data = incidentDataOf(message.event);
      const unlinked = { id: null, organizationId: config.organizationId, integrationId: config.id, platformIncidentId: null, pdIncidentId };
      if (pdIncidentId === null) {
        await this.committer.recordDecisions(em, unlinked, [ignored(change, 'it names no PagerDuty incident')], source, now);
        return;
      }
      let link = await this.links.lockByPagerDutyIncident(em, config.id, pdIncidentId);
      if (link === null && data.incidentKey !== null && isUuid(data.incidentKey)) {
        // A PagerDuty incident we created carries the platform incident id as incident_key:
        // its events (possibly before the dispatcher's result) attach to the reserved link.
        const reserved = await this.links.lockByPlatformIncident(em, config.id, data.incidentKey.toLowerCase());
        if (reserved !== null && reserved.pdIncidentId === null) {
          reserved.pdIncidentId = pdIncidentId;
          link = reserved;
        }
      }
      if (link === null) {
        // A backfill links an incident that existed before the integration as a live trigger would.
        if ((change.eventType === 'incident.triggered' && !polled) || backfill) {
          await this.createOnPlatform(em, config, change, settings, lookup.unknown, source, pdIncidentId, data, now);
        } else {
          await this.committer.recordDecisions(em, unlinked, [ignored(change, `PagerDuty incident ${pdIncidentId} is not linked to a platform incident`)], source, now);
        }
        return;
      }
      link.pdIncidentNumber ??= data.number;
      link.pdHtmlUrl ??= data.htmlUrl;
      const before = link.state;
      const decided = await this.peers.settingsWithPeers(em, settings, link.platformIncidentId);
      if (polled) await this.committer.recordDecisions(em, link, driftFound(link.state, change, decided), source, now);
      if (mergeTarget !== null && mergeTarget.id !== pdIncidentId && link.pdIncidentId === pdIncidentId) {
        await this.applyMerge(em, { link, change, mergeTarget, settings: decided, source, priorityId, now, unknown: lookup.unknown });
        return;
      }
      const decision = withPlainEscalationEntry(decideInbound(before, change, decided, now.getTime()), change, decided);
      await this.committer.commit(em, { settings: decided, link, before, decision, source, priorityId, now, unknownUsers: unknownIf(decision.decisions, lookup.unknown) });
    });
  }

  private async createOnPlatform(
    em: EntityManager,
    config: IntegrationRuntimeConfig,
    change: ExternalChange,
    settings: ReturnType<typeof toIntegrationSettings>,
    unknown: UnknownUserSighting[],
    source: DecisionSource,
    pdIncidentId: string,
    data: ReturnType<typeof incidentDataOf>,
    now: Date,
  ): Promise<void> {
    // Ids derive from the PagerDuty incident: a second triggered delivery under another
    // receipt id computes the same link and is stopped by the unique index.
    const linkId = deterministicUuid(`link:${config.id}:${pdIncidentId}`);
    const platformIncidentId = deterministicUuid(`platform-incident:${config.id}:${pdIncidentId}`);
    const plan = planCreateOnPlatform({ linkId, change }, settings, serviceMappingOf(config), now.getTime(), unmappedServicePolicyOf(config));
    if (plan.command === null || plan.state === null) {
      await this.committer.recordDecisions(em, { id: null, organizationId: config.organizationId, integrationId: config.id, platformIncidentId: null, pdIncidentId }, plan.decisions, source, now);
      return;
    }
    const link = Object.assign(new IncidentLinkEntity(), {
      id: linkId,
      organizationId: config.organizationId,
      integrationId: config.id,
      platformIncidentId,
      pdIncidentId,
      pdIncidentNumber: data.number,
      pdHtmlUrl: data.htmlUrl,
      state: plan.state,
      createdAt: now,
      lastSyncedAt: now,
      lastDirection: 'inbound',
    });
    await this.links.insert(em, link);
    const create = platformCreateCommand(linkRefOf(link), plan.command, { id: pdIncidentId, number: data.number, url: data.htmlUrl }, source.id, now);
    const decision: SyncDecision = { state: plan.state, platformWrite: null, externalWrite: null, timeline: [], conflictsOpened: [], decisions: plan.decisions };
    await this.committer.commit(em, { settings,
      link, before: plan.state, decision, source, priorityId: (k) => k, now,
      unknownUsers: unknownIf(plan.decisions, unknown), extraPlatformCommands: [create],
    });
  }

  /** The incident a source was merged into, read now (a 404 or other refusal: known by id only; transient failures throw and park). */
  private async mergeTargetOf(config: IntegrationRuntimeConfig, id: string): Promise<MergeTarget> {
    try {
      const { data } = await this.reads.run(config, 'GET /incidents/{id}', (client) => client.getIncident(id));
      const incident = data.incident as unknown as Record<string, unknown>;
      const updatedAt = typeof incident['updated_at'] === 'string' ? Date.parse(incident['updated_at']) : Number.NaN;
      return {
        id,
        number: typeof incident['incident_number'] === 'number' ? incident['incident_number'] : null,
        url: typeof incident['html_url'] === 'string' ? incident['html_url'] : null,
        change: parsePagerDutyIncidentSnapshot(incident, Number.isNaN(updatedAt) ? Date.now() : updatedAt, config.priorityMapping),
      };
    } catch (error) {
      if (error instanceof PagerDutyApiError && !error.retryable) return { id, number: null, url: null, change: null };
      throw error;
    }
  }

  /**
   * A linked PagerDuty incident was merged into another (pagerduty-merge.ts). Target linked to
   * another platform incident: the source's resolve applies as usual and the timeline points at
   * the target. Target unlinked: the link moves to the target and takes its current values by
   * the usual rules (the source's resolve is not applied: the work goes on in the target).
   */
  private async applyMerge(
    em: EntityManager,
    input: { link: IncidentLinkEntity; change: ExternalChange; mergeTarget: MergeTarget; settings: IntegrationSettings; source: DecisionSource; priorityId: PriorityResolver; now: Date; unknown: UnknownUserSighting[] },
  ): Promise<void> {
    const { link, change, mergeTarget, settings, source, now } = input;
    const before = link.state;
    const targetLink = await this.links.lockByPagerDutyIncident(em, link.integrationId, mergeTarget.id);
    const plan = planPagerDutyMerge({
      eventId: change.eventId, occurredAt: change.occurredAt, agentName: change.agentName,
      source: { pdIncidentId: link.pdIncidentId ?? '', number: link.pdIncidentNumber },
      target: { pdIncidentId: mergeTarget.id, number: targetLink?.pdIncidentNumber ?? mergeTarget.number },
      sourcePlatformIncidentId: link.platformIncidentId,
      targetPlatformIncidentId: targetLink?.platformIncidentId ?? null,
    });
    const merged: FieldDecision = { field: null, side: 'external', outcome: 'applied', reason: plan.reason };
    if (plan.action === 'resolve-with-pointer' || targetLink !== null) {
      const decision = decideInbound(before, change, settings, now.getTime());
      await this.committer.commit(em, {
        settings, link, before, source, priorityId: input.priorityId, now, unknownUsers: unknownIf(decision.decisions, input.unknown),
        decision: { ...decision, timeline: [...decision.timeline, plan.entry], decisions: [...decision.decisions, merged] },
      });
      return;
    }
    link.pdIncidentId = mergeTarget.id;
    link.pdIncidentNumber = mergeTarget.number;
    link.pdHtmlUrl = mergeTarget.url;
    const decision: SyncDecision = mergeTarget.change === null
      ? { state: before, platformWrite: null, externalWrite: null, timeline: [], conflictsOpened: [], decisions: [] }
      : decideInbound(before, mergeTarget.change, settings, now.getTime());
    await this.committer.commit(em, {
      settings, link, before, source, priorityId: input.priorityId, now, unknownUsers: unknownIf(decision.decisions, input.unknown),
      decision: { ...decision, timeline: [...decision.timeline, plan.entry], decisions: [merged, ...decision.decisions] },
      extraPlatformCommands: [externalRefCommand(linkRefOf(link), { id: mergeTarget.id, number: mergeTarget.number, url: mergeTarget.url }, source.id, now)],
    });
  }

  /**
   * With sync-escalations on, the timeline entry names the escalation level and who is on call
   * now. Webhook data carries neither the level nor a log entry (FACTS §1.1), so the level is
   * read from the incident's newest escalate log entry; on failure the entry stays as it was.
   */
  private async describeEscalation(config: IntegrationRuntimeConfig, change: ExternalChange): Promise<void> {
    if (change.pagerDutyIncidentId === null || change.timeline.length === 0) return;
    let level: string | null = null;
    try {
      const incidentId = change.pagerDutyIncidentId;
      const { data } = await this.reads.run(config, 'GET /incidents/{id}/log_entries', (client) => client.request<{ log_entries: { type?: string; summary?: string; created_at?: string }[] }>(
        'GET', `/incidents/${encodeURIComponent(incidentId)}/log_entries`, { query: { limit: 25 } },
      ));
      const escalations = data.log_entries
        .filter((e) => e.type === 'escalate_log_entry' && Date.parse(e.created_at ?? '') <= change.occurredAt + 1000)
        .sort((a, b) => Date.parse(b.created_at ?? '') - Date.parse(a.created_at ?? ''));
      level = /level (\d+)/i.exec(escalations[0]?.summary ?? '')?.[1] ?? null;
    } catch {
      level = null;
    }
    const onCall = change.labels.assigneeName;
    for (const entry of change.timeline) {
      if (entry.kind !== 'escalated') continue;
      const by = change.agentName === null ? 'by PagerDuty' : `by ${change.agentName} on PagerDuty`;
      entry.text = `Escalated${level === null ? '' : ` to level ${level}`}${onCall === null ? '' : `; on call now: ${onCall}`} (${by})`;
    }
  }

  private async recordProgress(em: EntityManager, integrationId: string, message: PagerDutyWebhookReceivedV1, now: Date): Promise<void> {
    const receivedAt = new Date(message.receivedAt);
    await em.query(
      `INSERT INTO "inbound_progress" ("integration_id", "last_received_at", "last_processed_at", "last_lag_ms", "processed_total") VALUES ($1, $2, $3, $4, 1)
       ON CONFLICT ("integration_id") DO UPDATE SET "last_received_at" = GREATEST("inbound_progress"."last_received_at", EXCLUDED."last_received_at"),
         "last_processed_at" = EXCLUDED."last_processed_at", "last_lag_ms" = EXCLUDED."last_lag_ms", "processed_total" = "inbound_progress"."processed_total" + 1`,
      [integrationId, receivedAt, now, Math.max(0, now.getTime() - receivedAt.getTime())],
    );
  }
}

/**
 * Issue #8: `incident.escalated` always writes a timeline entry; sync-escalations only adds the
 * level and who is on call (and syncs the escalation policy). The sync-domain skips the entry
 * when escalation sync is off, so the plain entry is added here (not for our own bot's events).
 */
export function withPlainEscalationEntry(decision: SyncDecision, change: ExternalChange, settings: IntegrationSettings): SyncDecision {
  if (change.eventType !== 'incident.escalated' || settings.syncEscalations || !syncFlow(settings).inbound) return decision;
  if (authorshipOf(change, settings) === 'ours' || decision.timeline.some((e) => e.kind === 'escalated')) return decision;
  const by = change.agentName === null ? 'by PagerDuty' : `by ${change.agentName} on PagerDuty`;
  return {
    ...decision,
    timeline: [...decision.timeline, { kind: 'escalated', text: `Escalated ${by}`, occurredAt: change.occurredAt, author: change.agentName, dedupeKey: `pagerduty-event:${change.eventId}` }],
    decisions: [
      ...decision.decisions.filter((d) => !(d.outcome === 'field-not-synced' && d.field === null)),
      { field: null, side: 'external', outcome: 'applied', reason: 'The escalation is added to the platform timeline (escalation sync is off: no level, on-call or policy).' },
    ],
  };
}

/** What a reconcile read found that the link had not seen: one history entry per field, before the rules decide it. */
function driftFound(state: IncidentLinkEntity['state'], change: ExternalChange, settings: IntegrationSettings): FieldDecision[] {
  return driftOf(state, change, settings).map((d) => ({
    field: d.field,
    side: 'external',
    outcome: 'drift-found',
    reason: `Reconciliation read PagerDuty ${d.field} = ${JSON.stringify(d.pagerduty)} (PagerDuty's time for it: ${new Date(change.occurredAt).toISOString()}) while the last PagerDuty value seen was ${JSON.stringify(d.lastSeen)}: a change no webhook reported (a lost delivery, or an edit PagerDuty sends no webhook for). It is decided below by the same rules as a webhook.`,
  }));
}

/** The incident a merged source went into, as read from PagerDuty (`change` null when it could not be read). */
interface MergeTarget {
  id: string;
  number: number | null;
  url: string | null;
  change: ExternalChange | null;
}

function ignored(change: ExternalChange, why: string): FieldDecision {
  return { field: null, side: 'external', outcome: 'ignored-event', reason: `PagerDuty ${change.rawEventType || 'event'} is recorded and not acted on: ${why}.` };
}

/** Unknown users are reported only when a decision actually needed them. */
function unknownIf(decisions: readonly FieldDecision[], unknown: UnknownUserSighting[]): UnknownUserSighting[] {
  return decisions.some((d) => d.outcome === 'unknown-user') ? unknown : [];
}

import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { PlatformIncidentCommandV1, Topic } from '@incident-sync/contracts';
import { addToOutbox } from '@incident-sync/persistence';
import { abandonWrite, type FieldDecision, type IntegrationSettings, type LinkState, type PlatformFieldValues, type SyncDecision } from '@incident-sync/sync-domain';
import { conflictUuid } from './command-ids';
import { IncidentLinkEntity } from './incident-link.entity';
import { IncidentLinkRepository } from './incident-link.repository';
import { IssuedPagerDutyCommand, LinkRef, PriorityResolver, updateCommands } from './pagerduty-command-builder';
import { PagerDutyIncidentRef, platformUpdateCommand, timelineCommand } from './platform-command-builder';

/** What caused a decision: shown in the history next to every decision. */
export interface DecisionSource {
  kind: 'webhook' | 'reconcile' | 'backfill' | 'platform-change' | 'command-result' | 'operator';
  id: string;
  eventType: string | null;
}

export interface UnknownUserSighting {
  side: 'platform' | 'external';
  key: string;
}

export function linkRefOf(link: IncidentLinkEntity): LinkRef {
  return {
    organizationId: link.organizationId,
    integrationId: link.integrationId,
    linkId: link.id,
    platformIncidentId: link.platformIncidentId,
    pdIncidentId: link.pdIncidentId,
  };
}

export function pagerDutyRefOf(link: IncidentLinkEntity): PagerDutyIncidentRef | null {
  return link.pdIncidentId === null ? null : { id: link.pdIncidentId, number: link.pdIncidentNumber, url: link.pdHtmlUrl };
}

/**
 * What the platform holds (or will hold once our earlier commands apply) for each field the
 * write `commandId` sets: the `baseValues` of the command. Commands to one incident apply in
 * order, so the last earlier pending write wins over the last observation. Read from the state
 * *after* the decision: a platform edit being decided is the platform's latest observation, and
 * when that edit is set back (it lost a conflict, or its field is owned authoritatively by
 * PagerDuty) the platform holds the edit, not what it held before it.
 */
export function baseValuesFor(after: LinkState, set: Partial<PlatformFieldValues>, commandId: string): Partial<PlatformFieldValues> {
  const base: Record<string, unknown> = {};
  for (const field of Object.keys(set) as (keyof PlatformFieldValues)[]) {
    const state = after.fields[field];
    const earlier = state.pending.platform.filter((write) => write.commandId !== commandId);
    const pending = earlier[earlier.length - 1];
    if (pending !== undefined) base[field] = pending.value;
    else if (state.platform !== null) base[field] = state.platform.value;
  }
  return base as Partial<PlatformFieldValues>;
}

/**
 * Persists one decision in the caller's transaction: the link's new state, every decision
 * with its reason, the conflicts, unknown users, and the resulting commands through the
 * outbox (never straight to Kafka).
 */
@Injectable()
export class DecisionCommitter {
  constructor(private readonly links: IncidentLinkRepository) {}

  async commit(
    em: EntityManager,
    input: {
      link: IncidentLinkEntity;
      before: LinkState;
      decision: SyncDecision;
      source: DecisionSource;
      priorityId: PriorityResolver;
      settings: IntegrationSettings;
      now: Date;
      unknownUsers?: UnknownUserSighting[];
      extraPlatformCommands?: PlatformIncidentCommandV1[];
      extraPagerDutyCommands?: IssuedPagerDutyCommand[];
    },
  ): Promise<void> {
    const { link, decision, source, now } = input;
    const ref = linkRefOf(link);
    const platformCommands: PlatformIncidentCommandV1[] = [...(input.extraPlatformCommands ?? [])];
    const pagerDutyCommands: IssuedPagerDutyCommand[] = [...(input.extraPagerDutyCommands ?? [])];
    if (decision.platformWrite !== null && Object.keys(decision.platformWrite.set).length > 0) {
      platformCommands.push(platformUpdateCommand(ref, decision.platformWrite, baseValuesFor(decision.state, decision.platformWrite.set, decision.platformWrite.commandId), pagerDutyRefOf(link), source.id, now));
    }
    for (const entry of decision.timeline) platformCommands.push(timelineCommand(ref, entry, source.id, now));
    let state = decision.state;
    const decisions = [...decision.decisions];
    if (decision.externalWrite !== null) {
      const issued = updateCommands(ref, decision.externalWrite, input.priorityId, source.id, now);
      pagerDutyCommands.push(...issued);
      if (issued.length === 0) {
        // Nothing PagerDuty can express (an unassignment): the write is not pending, it is dropped.
        const dropped = abandonWrite(state, { side: 'external', commandId: decision.externalWrite.commandId, reason: 'PagerDuty cannot clear an assignee or escalation policy through PUT /incidents/{id}' }, input.settings, now.getTime());
        state = dropped.state;
        decisions.push(...dropped.decisions);
      }
    }

    link.state = state;
    if (platformCommands.length > 0 || pagerDutyCommands.length > 0) {
      link.lastSyncedAt = now;
      link.lastDirection = pagerDutyCommands.length > 0 && platformCommands.length > 0 ? 'both' : pagerDutyCommands.length > 0 ? 'outbound' : 'inbound';
    }
    await this.links.save(em, link);
    await this.recordDecisions(em, link, decisions, source, now);
    await this.syncConflicts(em, link, now);
    for (const sighting of input.unknownUsers ?? []) await this.recordUnknownUser(em, link.integrationId, sighting);
    for (const command of platformCommands) await addToOutbox(em, Topic.PlatformIncidentCommands, command);
    for (const issued of pagerDutyCommands) await this.issue(em, link, issued, now);
  }

  async issue(em: EntityManager, link: IncidentLinkEntity, issued: IssuedPagerDutyCommand, now: Date): Promise<void> {
    const inserted: unknown[] = await em.query(
      `INSERT INTO "outbound_write" ("command_id", "organization_id", "integration_id", "link_id", "platform_incident_id", "domain_command_id", "action", "issued_at")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT ("command_id") DO NOTHING RETURNING "command_id"`,
      [issued.command.commandId, link.organizationId, link.integrationId, link.id, link.platformIncidentId, issued.domainCommandId, issued.command.action, now],
    );
    // The same domain write issued again (a decision recomputed after a crash) is one command.
    if (inserted.length > 0) await addToOutbox(em, Topic.PagerDutyCommands, issued.command);
  }

  async recordDecisions(
    em: EntityManager,
    link: { id: string | null; organizationId: string; integrationId: string; platformIncidentId: string | null; pdIncidentId: string | null },
    decisions: readonly FieldDecision[],
    source: DecisionSource,
    now: Date,
  ): Promise<void> {
    if (decisions.length === 0) return;
    // One multi-row INSERT per decision batch (a webhook typically yields several field decisions).
    const params: unknown[] = [];
    const rows = decisions.map((d) => {
      const values = [link.organizationId, link.integrationId, link.id, link.platformIncidentId, link.pdIncidentId, source.kind, source.id, source.eventType, d.field, d.side, d.outcome, d.reason, d.conflictId ? conflictUuid(d.conflictId) : null, d.commandId ?? null, now];
      const placeholders = values.map((value) => {
        params.push(value);
        return `$${params.length}`;
      });
      return `(${placeholders.join(', ')})`;
    });
    await em.query(
      `INSERT INTO "sync_decision" ("organization_id", "integration_id", "link_id", "platform_incident_id", "pd_incident_id", "source", "source_id", "event_type", "field", "side", "outcome", "reason", "conflict_id", "command_id", "created_at")
       VALUES ${rows.join(', ')}`,
      params,
    );
  }

  /** The conflicts table mirrors the conflict records of the link state (the source of truth). */
  private async syncConflicts(em: EntityManager, link: IncidentLinkEntity, now: Date): Promise<void> {
    for (const record of link.state.conflicts) {
      await em.query(
        `INSERT INTO "sync_conflict" ("id", "domain_conflict_id", "organization_id", "integration_id", "link_id", "platform_incident_id", "pd_incident_id", "field", "status", "record", "opened_at", "resolved_at", "resolved_by", "resolution")
         VALUES ($1, $14, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         ON CONFLICT ("id") DO UPDATE SET "status" = EXCLUDED."status", "record" = EXCLUDED."record", "pd_incident_id" = EXCLUDED."pd_incident_id",
           "resolved_at" = COALESCE("sync_conflict"."resolved_at", EXCLUDED."resolved_at"), "resolved_by" = EXCLUDED."resolved_by", "resolution" = EXCLUDED."resolution"`,
        [
          conflictUuid(record.id), link.organizationId, link.integrationId, link.id, link.platformIncidentId, link.pdIncidentId, record.field, record.status,
          JSON.stringify(record), new Date(record.openedAt),
          record.resolution ? new Date(record.resolution.at) : record.status === 'resolved' ? now : null,
          record.resolution?.by ?? null, record.resolution?.decision.kind ?? null, record.id,
        ],
      );
    }
  }

  async recordUnknownUser(em: EntityManager, integrationId: string, sighting: UnknownUserSighting): Promise<void> {
    await em.query(
      `INSERT INTO "unknown_user" ("integration_id", "side", "key", "first_seen_at", "last_seen_at", "count") VALUES ($1, $2, $3, now(), now(), 1)
       ON CONFLICT ("integration_id", "side", "key") DO UPDATE SET "last_seen_at" = now(), "count" = "unknown_user"."count" + 1`,
      [integrationId, sighting.side, sighting.key],
    );
  }
}

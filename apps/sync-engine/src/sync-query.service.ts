import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError, encodeTrustedHeader, INTERNAL_HEADERS, isUuid } from '@incident-sync/contracts';
import { IntegrationLookup, type IntegrationRuntimeConfig } from '@incident-sync/integration-config-client';
import { PagerDutyApiError } from '@incident-sync/pagerduty';
import type { WebhookSubscriptionView } from './webhook-health';
import { ParkingLot } from '@incident-sync/persistence';
import { SYNC_FIELDS, type LinkState } from '@incident-sync/sync-domain';
import { IncidentLinkEntity } from './incident-link.entity';
import { PagerDutyReads } from './pagerduty-reads.service';
import { aggregateSyncStatus, DispatcherStatus, IngressStatus, LastReconcileView, OwnSyncFigures, SyncStatusView } from './sync-status';
import { SyncDecisionEntity } from './sync-decision.entity';
import { UserDirectory } from './user-directory.service';

export const SIBLING_SERVICES = Symbol('SIBLING_SERVICES');
export interface SiblingServices {
  outboundDispatcherUrl: string;
  webhookIngressUrl: string;
  dlqManagerUrl: string;
  internalToken: string;
}

export interface LinkView {
  link_id: string;
  integration_id: string;
  platform_incident_id: string;
  pd_incident_id: string | null;
  pd_incident_number: number | null;
  pd_html_url: string | null;
  created_at: string;
  last_synced_at: string | null;
  last_direction: string | null;
  fields: Record<string, { agreed: { platform: unknown; external: unknown } | null; platform: unknown; external: unknown; frozen: boolean; pending_writes: { platform: number; external: number } }>;
  open_conflicts: number;
}

export interface DecisionView {
  seq: number;
  at: string;
  link_id: string | null;
  platform_incident_id: string | null;
  pd_incident_id: string | null;
  source: string;
  source_id: string;
  event_type: string | null;
  field: string | null;
  side: string | null;
  outcome: string;
  reason: string;
  conflict_id: string | null;
  command_id: string | null;
}

const isoAt = (d: Date | string): string => new Date(d).toISOString();
const iso = (d: Date | string | null): string | null => (d === null ? null : isoAt(d));

export function linkView(link: IncidentLinkEntity): LinkView {
  const state: LinkState = link.state;
  const fields: LinkView['fields'] = {};
  for (const field of SYNC_FIELDS) {
    const f = state.fields[field];
    fields[field] = {
      agreed: f.agreed === null ? null : { platform: f.agreed.platform, external: f.agreed.external },
      platform: f.platform?.value ?? null,
      external: f.external?.value ?? null,
      frozen: f.conflictId !== null,
      pending_writes: { platform: f.pending.platform.length, external: f.pending.external.length },
    };
  }
  return {
    link_id: link.id,
    integration_id: link.integrationId,
    platform_incident_id: link.platformIncidentId,
    pd_incident_id: link.pdIncidentId,
    pd_incident_number: link.pdIncidentNumber,
    pd_html_url: link.pdHtmlUrl,
    created_at: isoAt(link.createdAt),
    last_synced_at: iso(link.lastSyncedAt),
    last_direction: link.lastDirection,
    fields,
    open_conflicts: state.conflicts.filter((c) => c.status === 'open').length,
  };
}

export function decisionView(row: SyncDecisionEntity): DecisionView {
  return {
    seq: Number(row.seq),
    at: isoAt(row.createdAt),
    link_id: row.linkId,
    platform_incident_id: row.platformIncidentId,
    pd_incident_id: row.pdIncidentId,
    source: row.source,
    source_id: row.sourceId,
    event_type: row.eventType,
    field: row.field,
    side: row.side,
    outcome: row.outcome,
    reason: row.reason,
    conflict_id: row.conflictId,
    command_id: row.commandId,
  };
}

interface LastReconcileRow {
  started_at: Date; finished_at: Date; duration_ms: number; trigger: string; incidents_checked: number; requests: number;
  repairs: Record<string, number>; drift: unknown[]; errors: { pd_incident_id: string | null; message: string }[]; webhook_subscription: WebhookSubscriptionView | null;
}

function lastReconcileView(row: LastReconcileRow | undefined): LastReconcileView | null {
  if (!row) return null;
  return {
    at: isoAt(row.started_at), finished_at: isoAt(row.finished_at), duration_ms: row.duration_ms, trigger: row.trigger, incidents_checked: row.incidents_checked,
    requests: row.requests, repairs: row.repairs, drift_found: row.drift.length, drift: row.drift.slice(0, 20), errors: row.errors.length, error_samples: row.errors.slice(0, 5),
    webhook_subscription: row.webhook_subscription,
  };
}


/** Read side of the operator surfaces: links, history, sync-status, on-call. */
@Injectable()
export class SyncQueryService {
  private readonly logger = new Logger(SyncQueryService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly integrations: IntegrationLookup,
    private readonly users: UserDirectory,
    private readonly reads: PagerDutyReads,
    @Inject(SIBLING_SERVICES) private readonly siblings: SiblingServices,
  ) {}

  async links(organizationId: string, ref: string, filter: { incident?: string; limit?: number }): Promise<LinkView[]> {
    const config = await this.integrations.inOrganization(organizationId, ref);
    const qb = this.dataSource.getRepository(IncidentLinkEntity).createQueryBuilder('l').where('l.integration_id = :id', { id: config.id });
    if (filter.incident) qb.andWhere('(l.platform_incident_id::text = :incident OR l.pd_incident_id = :incident)', { incident: filter.incident });
    const rows = await qb.orderBy('l.created_at', 'DESC').limit(Math.min(Math.max(filter.limit ?? 100, 1), 1000)).getMany();
    return rows.map(linkView);
  }

  /** History of one integration's incident, by platform incident id or PagerDuty incident id. */
  async integrationHistory(organizationId: string, ref: string, incident: string): Promise<DecisionView[]> {
    const config = await this.integrations.inOrganization(organizationId, ref);
    // Decisions made before the PagerDuty id was known (the create) belong to the link too.
    const links: { id: string }[] = await this.dataSource.query(
      `SELECT "id" FROM "incident_link" WHERE "integration_id" = $1 AND ("platform_incident_id"::text = $2 OR "pd_incident_id" = $2)`,
      [config.id, incident],
    );
    const qb = this.dataSource.getRepository(SyncDecisionEntity).createQueryBuilder('d').where('d.integration_id = :id', { id: config.id });
    const linkIds = links.map((l) => l.id);
    qb.andWhere(`(d.platform_incident_id::text = :incident OR d.pd_incident_id = :incident${linkIds.length > 0 ? ' OR d.link_id IN (:...linkIds)' : ''})`, { incident, linkIds });
    return (await qb.orderBy('d.seq', 'ASC').limit(5000).getMany()).map(decisionView);
  }

  /** Every decision about a platform incident, across the organization's integrations. */
  async incidentHistory(organizationId: string, platformIncidentId: string): Promise<DecisionView[]> {
    if (!isUuid(platformIncidentId)) throw AppError.validation('platformIncidentId', 'must be a platform incident id (uuid)');
    const rows = await this.dataSource.getRepository(SyncDecisionEntity).createQueryBuilder('d')
      .where('d.organization_id = :org', { org: organizationId })
      .andWhere('d.platform_incident_id = :id', { id: platformIncidentId })
      .orderBy('d.seq', 'ASC').limit(5000).getMany();
    // Another organization's incident and one this organization never synced look the same: 404, no data.
    if (rows.length === 0) throw AppError.notFound(`sync history of incident ${platformIncidentId}`);
    return rows.map(decisionView);
  }

  async syncStatus(organizationId: string, ref: string): Promise<SyncStatusView> {
    const config = await this.integrations.inOrganization(organizationId, ref);
    const headers = { [INTERNAL_HEADERS.internalToken]: this.siblings.internalToken, [INTERNAL_HEADERS.organizationId]: encodeTrustedHeader(organizationId), accept: 'application/json' };
    const [dispatcher, ingress, dlq, own] = await Promise.all([
      this.fetchJson<DispatcherStatus>(`${this.siblings.outboundDispatcherUrl}/api/v1/integrations/${encodeURIComponent(config.id)}/dispatcher/status`, headers),
      this.fetchJson<IngressStatus>(`${this.siblings.webhookIngressUrl}/internal/v1/ingress/status/${encodeURIComponent(config.id)}`, headers),
      this.fetchJson<Record<string, unknown>>(`${this.siblings.dlqManagerUrl}/internal/v1/dead-letters/count?integration_id=${encodeURIComponent(config.id)}&organization_id=${encodeURIComponent(organizationId)}`, headers),
      this.ownFigures(config.id),
    ]);
    // dlq-manager answers {pending, total}: the queue is what still waits for an operator.
    const dlqCount = dlq === null ? null : (['pending', 'count', 'total'].map((k) => dlq[k]).find((v): v is number => typeof v === 'number') ?? null);
    return aggregateSyncStatus({
      integration: { id: config.id, slug: config.slug, enabled: config.enabled, syncDirection: config.syncDirection, rateLimitPerMinute: config.rateLimitPerMinute },
      dispatcher, ingress, dlqCount, own, now: Date.now(),
    });
  }

  async ownFigures(integrationId: string): Promise<OwnSyncFigures> {
    const q = <T>(sql: string): Promise<T[]> => this.dataSource.query(sql, [integrationId]);
    const [conflicts, unknown, writes, inbound, parked, reconcile] = await Promise.all([
      q<{ n: string }>(`SELECT count(*) AS n FROM "sync_conflict" WHERE "integration_id" = $1 AND "status" = 'open'`),
      q<{ side: 'platform' | 'external'; key: string; count: number; last_seen_at: Date }>(`SELECT "side", "key", "count", "last_seen_at" FROM "unknown_user" WHERE "integration_id" = $1 ORDER BY "last_seen_at" DESC LIMIT 100`),
      q<{ n: string; oldest: Date | null }>(`SELECT count(*) AS n, min("issued_at") AS oldest FROM "outbound_write" WHERE "integration_id" = $1 AND "settled_at" IS NULL`),
      q<{ last_received_at: Date | null; last_processed_at: Date | null; last_lag_ms: number | null; processed_total: string }>(`SELECT * FROM "inbound_progress" WHERE "integration_id" = $1`),
      new ParkingLot(this.dataSource).figures([integrationId]),
      q<LastReconcileRow>(`SELECT "started_at", "finished_at", "duration_ms", "trigger", "incidents_checked", "requests", "repairs", "drift", "errors", "webhook_subscription" FROM "reconcile_run"
         WHERE "integration_id" = $1 AND NOT "dry_run" ORDER BY "started_at" DESC LIMIT 1`),
    ]);
    const progress = inbound[0];
    return {
      openConflicts: Number(conflicts[0]?.n ?? 0),
      unknownUsers: unknown.map((u) => ({ side: u.side, key: u.key, count: Number(u.count), last_seen_at: isoAt(u.last_seen_at) })),
      oldestUnsettledWriteAt: iso(writes[0]?.oldest ?? null),
      unsettledWrites: Number(writes[0]?.n ?? 0),
      inbound: progress
        ? { lastReceivedAt: iso(progress.last_received_at), lastProcessedAt: iso(progress.last_processed_at), lastLagMs: progress.last_lag_ms, processedTotal: Number(progress.processed_total) }
        : null,
      parked: { count: parked[0]?.parked ?? 0, oldestParkedAt: parked[0]?.oldestParkedAt?.toISOString() ?? null },
      lastReconcile: lastReconcileView(reconcile[0]),
    };
  }

  /** Who is on call now and next for a schedule (GET /oncalls + GET /schedules/:id, with the integration's token). */
  async oncall(organizationId: string, ref: string, scheduleId: string): Promise<OncallView> {
    if (!/^[A-Za-z0-9]{1,40}$/.test(scheduleId)) throw AppError.validation('schedule_id', 'must be a PagerDuty schedule id');
    const config = await this.integrations.inOrganization(organizationId, ref);
    const now = Date.now();
    try {
      const [oncalls, schedule] = await Promise.all([
        this.reads.run(config, 'GET /oncalls', (client) => client.listOncalls({ 'schedule_ids[]': [scheduleId], limit: 100 })),
        this.reads.run(config, 'GET /schedules/{id}', (client) => client.getSchedule(scheduleId, { since: new Date(now).toISOString(), until: new Date(now + 30 * 86400000).toISOString() })),
      ]);
      const s = schedule.data.schedule;
      const entries = renderedEntries(s);
      const current = oncalls.data.oncalls
        .filter((o) => o.schedule?.id === scheduleId)
        .sort((a, b) => a.escalation_level - b.escalation_level);
      const currentEnd = current.map((o) => (o.end ? Date.parse(o.end) : null)).find((x): x is number => x !== null) ?? null;
      const next = entries.find((e) => Date.parse(e.start) > now && Date.parse(e.start) >= (currentEnd ?? now)) ?? null;
      const emails = await this.emails(config, [...current.map((o) => o.user.id), ...(next ? [next.user.id] : [])]);
      return {
        integration_id: config.id,
        schedule_id: scheduleId,
        schedule_name: typeof s['name'] === 'string' ? s['name'] : null,
        now: current.map((o) => ({
          user_id: o.user.id, user_name: o.user.summary ?? null, email: emails[o.user.id] ?? null,
          escalation_policy_id: o.escalation_policy.id, escalation_policy_name: o.escalation_policy.summary ?? null,
          escalation_level: o.escalation_level, start: o.start, end: o.end,
        })),
        next: next === null ? null : { user_id: next.user.id, user_name: next.user.summary ?? null, email: emails[next.user.id] ?? null, start: next.start, end: next.end },
      };
    } catch (error) {
      if (error instanceof PagerDutyApiError) {
        if (error.status === 404) throw AppError.notFound(`PagerDuty schedule ${scheduleId}`);
        throw new AppError(error.retryable ? 'UPSTREAM_UNAVAILABLE' : 'UPSTREAM_PERMANENT', error.message);
      }
      throw error;
    }
  }

  private async emails(config: IntegrationRuntimeConfig, ids: string[]): Promise<Record<string, string>> {
    try {
      const lookup = await this.users.forPagerDutyUsers(config, ids);
      const out: Record<string, string> = {};
      for (const p of lookup.pairs) out[p.pagerDutyUserId] = p.email;
      for (const m of config.userMappings) if (ids.includes(m.pdUserId)) out[m.pdUserId] = m.email;
      return out;
    } catch {
      return {};
    }
  }

  private async fetchJson<T>(url: string, headers: Record<string, string>): Promise<T | null> {
    try {
      const response = await fetch(url, { headers, signal: AbortSignal.timeout(3000) });
      if (!response.ok) {
        this.logger.warn({ msg: 'peer service answered an error', method: 'GET', url: url.replace(/\?.*/, ''), status: response.status });
        return null;
      }
      return (await response.json()) as T;
    } catch {
      return null;
    }
  }
}

export interface OncallView {
  integration_id: string;
  schedule_id: string;
  schedule_name: string | null;
  now: { user_id: string; user_name: string | null; email: string | null; escalation_policy_id: string; escalation_policy_name: string | null; escalation_level: number; start: string | null; end: string | null }[];
  next: { user_id: string; user_name: string | null; email: string | null; start: string; end: string } | null;
}

interface RenderedEntry {
  start: string;
  end: string;
  user: { id: string; summary?: string };
}

function renderedEntries(schedule: Record<string, unknown>): RenderedEntry[] {
  const final = schedule['final_schedule'] as { rendered_schedule_entries?: unknown } | undefined;
  const raw = Array.isArray(final?.rendered_schedule_entries) ? (final.rendered_schedule_entries as unknown[]) : [];
  return raw
    .filter((e): e is RenderedEntry => typeof e === 'object' && e !== null && typeof (e as RenderedEntry).start === 'string' && typeof (e as RenderedEntry).user?.id === 'string')
    .sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
}

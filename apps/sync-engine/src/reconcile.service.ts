import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppError, Topic } from '@incident-sync/contracts';
import { IntegrationLookup, type IntegrationRuntimeConfig } from '@incident-sync/integration-config-client';
import { addToOutbox } from '@incident-sync/persistence';
import { notesToRepair, parsePagerDutyIncidentSnapshot, parsePagerDutyNotes, syncFlow, type IntegrationSettings, type SyncField } from '@incident-sync/sync-domain';
import { IncidentLinkEntity } from './incident-link.entity';
import { toIntegrationSettings } from './to-domain-settings';
import { PagerDutyReads } from './pagerduty-reads.service';
import { driftOf, nextPassSince, pollingStamp, RECONCILE_EVENT_TYPE } from './reconcile-drift';
import { noteObservation } from './note-observation';
import { PagerDutyNoteRepository } from './pagerduty-note.repository';
import { ReconcileLease } from './reconcile-lease';
import { snapshotObservation } from './snapshot-observation';
import type { WebhookSubscriptionView } from './webhook-health';
import { WebhookSubscriptionHealth } from './webhook-subscription-health.service';
import { PAGE_LIMIT, scanWindow } from './reconcile-window';
import { PacedReads, requestSpacingMs } from './paced-reads';

export { RECONCILE_EVENT_TYPE, requestSpacingMs };

/** What a pass repairs: a synced field, or `note` (a PagerDuty note no webhook brought). */
export type RepairKind = SyncField | 'note';

export interface DriftView {
  pd_incident_id: string;
  platform_incident_id: string;
  field: RepairKind;
  /** For `note`: the PagerDuty note id. */
  note_id?: string;
  platform: unknown;
  /** For `note`: its content (the first 200 characters). */
  pagerduty: unknown;
  last_seen_pagerduty: unknown;
  /** PagerDuty's own time for the value (its `updated_at`), or the fallback (see pollingStamp). */
  pagerduty_changed_at: string;
  action: 'repair-queued' | 'none (dry run)';
}

export interface ReconcileSummary {
  id: string;
  integration_id: string;
  trigger: 'on-demand' | 'scheduled';
  started_at: string;
  finished_at: string;
  duration_ms: number;
  since: string;
  incidents_checked: number;
  requests: number;
  repairs: Partial<Record<RepairKind, number>>;
  drift: DriftView[];
  errors: { pd_incident_id: string | null; message: string }[];
  dry_run: boolean;
  /** The PagerDuty webhook subscription delivering to this integration: found, re-enabled, or the command that fixes it. */
  webhook_subscription: WebhookSubscriptionView | null;
}

export interface ReconcileOptions {
  since?: Date;
  dryRun: boolean;
  trigger: ReconcileSummary['trigger'];
}

type RestIncident = Record<string, unknown> & { id: string; updated_at?: string };

/**
 * A pass holds its integration under a short lease that it renews while it runs: a replica
 * killed mid-pass holds the integration up for at most LEASE_MS. (A 15-minute lease that
 * had to outlive any pass kept a SIGKILLed replica's integrations unreconciled for 15 minutes
 * — fault tier seed 67075789: dropped notes of two integrations were never repaired.)
 */
const LEASE_MS = 60000;
const LEASE_RENEW_MS = 15000;
/** Drift entries kept per run (the repairs count them all). */
const DRIFT_KEPT = 500;
/** Links we think open that the lists did not show are read one by one: at least this many per pass. */
const ROTATION_MIN = 10;
/**
 * How far apart PagerDuty's time for a note may be in its webhook (`occurred_at`) and in its log
 * entry (`created_at`): both stamp the note's creation (an inference: not documented). Only
 * notes processed this far inside a pass's window are counted against the window's log entries.
 */
const NOTE_TIME_SLACK_MS = 10000;
/** An inbound link is created a little after its PagerDuty incident: the open list starts this much earlier. */
const OPEN_LIST_MARGIN_MS = 86400000;

/** Requests a pass may make: the integration's share of its rate limit over one interval (at least 2). */
export function passBudget(config: Pick<IntegrationRuntimeConfig, 'rateLimitPerMinute' | 'reconcileBudgetPercent' | 'reconcileIntervalSeconds'>): number {
  const perMinute = (config.rateLimitPerMinute * config.reconcileBudgetPercent) / 100;
  return Math.max(2, Math.floor((perMinute * config.reconcileIntervalSeconds) / 60));
}


/**
 * Drift reconciliation (issue #14). A pass reads PagerDuty's view of the integration's linked
 * incidents — the incidents created in the window and every incident open in PagerDuty
 * (`GET /incidents?since&until[&statuses[]=…]`, 100 per request, narrowed below the
 * 10,000-record cap), then the links we think open that neither list showed, on a rotation,
 * least recently read first (`GET /incidents/{id}`) — and compares it with each link's latest
 * PagerDuty observation. Each difference is repaired by publishing the read as a synthetic PagerDuty
 * observation to `pagerduty.webhook.received` under the incident's key, so it is applied by
 * the webhook consumer in order with live deliveries, through the same rules (ownership,
 * conflicts, echo suppression). Reads take `reconcile`-priority tokens from the integration's
 * shared budget and are paced to `reconcile_budget_percent` of its rate limit.
 */
@Injectable()
export class ReconcileService {
  private readonly logger = new Logger(ReconcileService.name);
  private readonly lease: ReconcileLease;
  readonly owner = `reconcile-${randomUUID()}`;

  constructor(
    private readonly dataSource: DataSource, private readonly integrations: IntegrationLookup, private readonly reads: PagerDutyReads, private readonly webhookHealth: WebhookSubscriptionHealth,
    private readonly notes: PagerDutyNoteRepository,
  ) {
    this.lease = new ReconcileLease(dataSource);
  }

  /** POST /integrations/:ref/reconcile: one pass now, unless another holds the integration (409). */
  async onDemand(organizationId: string, ref: string, options: { since?: Date; dryRun: boolean }): Promise<ReconcileSummary> {
    const config = await this.integrations.inOrganization(organizationId, ref);
    if (!config.enabled) throw new AppError('INTEGRATION_PAUSED', `integration ${config.slug} is paused (disabled); enable it to reconcile`);
    if (!(await this.lease.claim(config.id, this.owner, LEASE_MS, null))) {
      throw new AppError('CONFLICT', `a reconcile pass of integration ${config.slug} is already running; try again when it has finished`);
    }
    return this.underLease(config, () => this.pass(config, { ...options, trigger: 'on-demand' }));
  }

  /** The scheduler's pass for one integration, if it is due and no replica holds it; null otherwise. */
  async scheduled(integrationId: string): Promise<ReconcileSummary | null> {
    const config = await this.integrations.byId(integrationId);
    if (config === null || !config.enabled) return null;
    if (!(await this.lease.claim(config.id, this.owner, LEASE_MS, config.reconcileIntervalSeconds * 1000))) return null;
    return this.underLease(config, () => this.pass(config, { dryRun: false, trigger: 'scheduled' }));
  }

  /** Runs a pass under the lease just claimed: renewed while it runs, released when it ends. */
  private async underLease<T>(config: IntegrationRuntimeConfig, run: () => Promise<T>): Promise<T> {
    const renewal = setInterval(() => {
      void this.lease.renew(config.id, this.owner, LEASE_MS).then((held) => {
        if (!held) this.logger.warn({ msg: 'reconcile lease lost during a pass (it ran out); another replica may reconcile the integration too', integrationId: config.id });
      }, (error: unknown) => this.logger.warn({ msg: 'reconcile lease renewal failed', integrationId: config.id, err: error }));
    }, LEASE_RENEW_MS);
    try {
      return await run();
    } finally {
      clearInterval(renewal);
      await this.lease.release(config.id, this.owner);
    }
  }

  /** Integrations the scheduler looks at on each tick. */
  candidates(): Promise<string[]> {
    return this.lease.candidates();
  }

  private async pass(config: IntegrationRuntimeConfig, options: ReconcileOptions): Promise<ReconcileSummary> {
    const startedAt = new Date();
    const runId = randomUUID();
    const budget = passBudget(config);
    const settings = toIntegrationSettings(config);
    const summary: ReconcileSummary = {
      id: runId, integration_id: config.id, trigger: options.trigger, started_at: startedAt.toISOString(), finished_at: '', duration_ms: 0,
      since: '', incidents_checked: 0, requests: 0, repairs: {}, drift: [], errors: [], dry_run: options.dryRun, webhook_subscription: null,
    };
    const paced = new PacedReads(this.reads, config);
    const read = async <T>(what: string, call: Parameters<PagerDutyReads['run']>[2]): Promise<T> => {
      try {
        return await paced.run<T>(what, call);
      } finally {
        summary.requests = paced.requests;
      }
    };

    const since = options.since ?? (await this.defaultSince(config, startedAt));
    summary.since = since.toISOString();
    const checked = new Set<string>();
    const compare = async (link: IncidentLinkEntity, incident: RestIncident): Promise<void> => {
      if (checked.has(link.id)) return;
      checked.add(link.id);
      summary.incidents_checked += 1;
      const stamp = pollingStamp(incident, link.state, link.createdAt);
      const change = parsePagerDutyIncidentSnapshot(incident, stamp, config.priorityMapping);
      const drift = driftOf(link.state, change, settings);
      if (!options.dryRun) await this.markChecked(link);
      if (drift.length === 0) return;
      if (!options.dryRun) await this.publishObservation(config, incident, stamp);
      for (const d of drift) {
        if (!options.dryRun) summary.repairs[d.field] = (summary.repairs[d.field] ?? 0) + 1;
        if (summary.drift.length >= DRIFT_KEPT) continue;
        summary.drift.push({
          pd_incident_id: incident.id, platform_incident_id: link.platformIncidentId, field: d.field, platform: d.platform, pagerduty: d.pagerduty,
          last_seen_pagerduty: d.lastSeen, pagerduty_changed_at: new Date(stamp).toISOString(), action: options.dryRun ? 'none (dry run)' : 'repair-queued',
        });
      }
    };

    // A list of incidents, narrowed below the 10,000-record cap; linked ones are compared (unlinked ones are backfill's).
    const scanList = async (label: string, window: { since: number; until: number }, filter: Record<string, string[]>): Promise<void> => {
      try {
        await scanWindow(
          window,
          async (w, offset, limit, withTotal) => {
            const { data } = await read<{ data: { incidents: RestIncident[]; more: boolean; total: number | null } }>('GET /incidents', (client) => client.listIncidents({
              since: new Date(w.since).toISOString(), until: new Date(w.until).toISOString(), limit, offset, ...filter, ...(withTotal ? { total: 'true' } : {}),
            }));
            return { items: data.incidents, more: data.more, total: data.total ?? null };
          },
          async (incidents) => {
            const links = await this.linksOf(config.id, incidents.map((i) => i.id));
            for (const incident of incidents) {
              const link = links.get(incident.id);
              if (link) await compare(link, incident);
            }
          },
          { limit: PAGE_LIMIT },
        );
      } catch (error) {
        summary.errors.push({ pd_incident_id: null, message: `GET /incidents (${label}): ${describe(error)}` });
      }
    };
    const until = startedAt.getTime() + 1000;
    // 1. Incidents created in the window (any status).
    await scanList(`created since ${summary.since}`, { since: since.getTime(), until }, {});
    // 2. Every incident open in PagerDuty created since the oldest open link, 100 per request:
    //    title and urgency edits of open incidents arrive within one interval at any scale.
    const oldestOpen = await this.oldestOpenLink(config.id);
    if (oldestOpen !== null) {
      await scanList('open incidents', { since: Math.min(since.getTime(), oldestOpen.getTime() - OPEN_LIST_MARGIN_MS), until }, { 'statuses[]': ['triggered', 'acknowledged'] });
    }

    // 3. Notes: PagerDuty sends no webhook again for a dropped incident.annotated, and reading every
    //    linked incident's notes would cost a request each. The account's log entries of the window
    //    (100 per request, narrowed below the cap) name the incidents that got a note; only the
    //    linked ones among them have their notes read.
    await this.repairNotes(config, settings, { since: since.getTime(), until }, read, summary, options);

    // 4. Links we think open that neither list showed (resolved in PagerDuty without our
    //    knowing, or outside the lists' windows): one by one, least recently read first.
    const left = Math.max(ROTATION_MIN, budget - summary.requests);
    for (const link of await this.rotation(config.id, left, checked)) {
      const pdId = link.pdIncidentId as string;
      try {
        const { data } = await read<{ data: { incident: RestIncident } }>('GET /incidents/{id}', (client) => client.getIncident(pdId));
        await compare(link, data.incident);
      } catch (error) {
        summary.errors.push({ pd_incident_id: pdId, message: describe(error) });
      }
    }

    // 5. The webhook subscription: PagerDuty disables one that keeps failing and then sends nothing.
    summary.webhook_subscription = await this.webhookHealth.check(config, read, options.dryRun);

    const finishedAt = new Date();
    summary.finished_at = finishedAt.toISOString();
    summary.duration_ms = finishedAt.getTime() - startedAt.getTime();
    await this.record(config, summary);
    this.logger.log({
      msg: 'reconcile pass finished', integrationId: config.id, organizationId: config.organizationId, trigger: summary.trigger, dryRun: summary.dry_run,
      incidentsChecked: summary.incidents_checked, requests: summary.requests, repairs: summary.repairs, errors: summary.errors.length, durationMs: summary.duration_ms,
    });
    return summary;
  }

  /**
   * Notes written in PagerDuty during the window that no `incident.annotated` delivery brought:
   * `GET /log_entries?since&until` (account-wide, every type: which types `is_overview` keeps is
   * not documented) counts each incident's `annotate_log_entry`s; for each linked one whose link
   * has processed fewer notes inside the window than that (a delivery is missing or still on its
   * way), `GET /incidents/{id}/notes`; each note the link has not processed, written by someone other
   * than our bot, is published as a `reconciliation.note` observation under the incident's key,
   * so the webhook consumer adds it in order with live deliveries and under the note's own
   * dedupe key (a late delivery of its webhook adds nothing).
   */
  private async repairNotes(
    config: IntegrationRuntimeConfig, settings: IntegrationSettings, window: { since: number; until: number },
    read: <T>(what: string, call: Parameters<PagerDutyReads['run']>[2]) => Promise<T>, summary: ReconcileSummary, options: ReconcileOptions,
  ): Promise<void> {
    // Inbound sync off: PagerDuty notes are not copied to the platform, so none can be missing.
    if (!syncFlow(settings).inbound) return;
    const annotated = new Map<string, number>();
    try {
      await scanWindow(
        window,
        async (w, offset, limit, withTotal) => {
          const { data } = await read<{ data: { log_entries: { type?: unknown; incident?: { id?: unknown } }[]; more: boolean; total?: number | null } }>('GET /log_entries', (client) => client.listLogEntries({
            since: new Date(w.since).toISOString(), until: new Date(w.until).toISOString(), limit, offset, ...(withTotal ? { total: 'true' } : {}),
          }));
          return { items: data.log_entries, more: data.more, total: data.total ?? null };
        },
        (entries) => {
          for (const e of entries) if (e.type === 'annotate_log_entry' && typeof e.incident?.id === 'string') annotated.set(e.incident.id, (annotated.get(e.incident.id) ?? 0) + 1);
        },
        { limit: PAGE_LIMIT },
      );
    } catch (error) {
      summary.errors.push({ pd_incident_id: null, message: `GET /log_entries (notes since ${new Date(window.since).toISOString()}): ${describe(error)}` });
      return;
    }
    const links = await this.linksOf(config.id, [...annotated.keys()]);
    const linkIds = [...links.values()].map((l) => l.id);
    const seenByLink = await this.notes.seenByLinks(linkIds);
    const processed = await this.notes.processedBetween(linkIds, new Date(window.since + NOTE_TIME_SLACK_MS), new Date(window.until - NOTE_TIME_SLACK_MS));
    for (const [pdId, link] of links) {
      // Every note of the window accounted for: the link processed at least as many notes well
      // inside the window (each with its own log entry there) as the log shows, so none is missing.
      if ((processed.get(link.id) ?? 0) >= (annotated.get(pdId) ?? 0)) continue;
      try {
        const { data } = await read<{ data: unknown }>('GET /incidents/{id}/notes', (client) => client.listNotes(pdId));
        const verdicts = notesToRepair(parsePagerDutyNotes(data), { seenNoteIds: seenByLink.get(link.id) ?? new Set(), since: window.since, state: link.state, settings });
        for (const { note } of verdicts.filter((v) => v.verdict === 'missing')) {
          if (!options.dryRun) {
            await this.dataSource.transaction((em) => addToOutbox(em, Topic.PagerDutyWebhookReceived, noteObservation(config, pdId, note)));
            summary.repairs.note = (summary.repairs.note ?? 0) + 1;
          }
          if (summary.drift.length >= DRIFT_KEPT) continue;
          summary.drift.push({
            pd_incident_id: pdId, platform_incident_id: link.platformIncidentId, field: 'note', note_id: note.id, platform: null, pagerduty: note.content.slice(0, 200),
            last_seen_pagerduty: null, pagerduty_changed_at: new Date(note.createdAt).toISOString(), action: options.dryRun ? 'none (dry run)' : 'repair-queued',
          });
        }
      } catch (error) {
        summary.errors.push({ pd_incident_id: pdId, message: `GET /incidents/{id}/notes: ${describe(error)}` });
      }
    }
  }

  /** Since the last pass started (a minute of overlap), else one interval back. */
  private async defaultSince(config: IntegrationRuntimeConfig, now: Date): Promise<Date> {
    const rows: { started_at: Date; since: Date | null; failed: boolean }[] = await this.dataSource.query(
      `SELECT "started_at", "since", jsonb_array_length("errors") > 0 AS "failed" FROM "reconcile_run" WHERE "integration_id" = $1 AND NOT "dry_run" ORDER BY "started_at" DESC LIMIT 1`, [config.id],
    );
    const row = rows[0];
    const last = row ? { startedAt: new Date(row.started_at).getTime(), since: row.since === null ? null : new Date(row.since).getTime(), failed: row.failed } : null;
    return new Date(nextPassSince(last, now.getTime(), config.reconcileIntervalSeconds * 1000));
  }

  private async linksOf(integrationId: string, pdIds: string[]): Promise<Map<string, IncidentLinkEntity>> {
    if (pdIds.length === 0) return new Map();
    const links = await this.dataSource.getRepository(IncidentLinkEntity).createQueryBuilder('l')
      .where('l.integration_id = :integrationId AND l.pd_incident_id IN (:...pdIds)', { integrationId, pdIds }).getMany();
    return new Map(links.map((l) => [l.pdIncidentId as string, l]));
  }

  /** When the oldest link whose PagerDuty incident we think open was created; null when there is none. */
  private async oldestOpenLink(integrationId: string): Promise<Date | null> {
    const rows: { oldest: Date | null }[] = await this.dataSource.query(
      `SELECT min("created_at") AS oldest FROM "incident_link" WHERE "integration_id" = $1 AND "pd_incident_id" IS NOT NULL
         AND COALESCE("state" #>> '{fields,status,external,value}', '') <> 'resolved'`,
      [integrationId],
    );
    return rows[0]?.oldest ? new Date(rows[0].oldest) : null;
  }

  /** Open linked incidents (PagerDuty not known resolved), least recently read first. */
  private async rotation(integrationId: string, limit: number, skip: Set<string>): Promise<IncidentLinkEntity[]> {
    if (limit <= 0) return [];
    const links = await this.dataSource.getRepository(IncidentLinkEntity).createQueryBuilder('l')
      .leftJoin('reconcile_check', 'c', 'c.link_id = l.id')
      .where('l.integration_id = :integrationId AND l.pd_incident_id IS NOT NULL', { integrationId })
      .andWhere(`COALESCE(l.state #>> '{fields,status,external,value}', '') <> 'resolved'`)
      .orderBy('c.checked_at', 'ASC', 'NULLS FIRST').addOrderBy('l.created_at', 'ASC')
      .limit(limit + skip.size).getMany();
    return links.filter((l) => !skip.has(l.id)).slice(0, limit);
  }

  private async markChecked(link: IncidentLinkEntity): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO "reconcile_check" ("link_id", "integration_id", "checked_at") VALUES ($1, $2, now())
       ON CONFLICT ("link_id") DO UPDATE SET "checked_at" = EXCLUDED."checked_at"`,
      [link.id, link.integrationId],
    );
  }

  private async publishObservation(config: IntegrationRuntimeConfig, incident: RestIncident, stamp: number): Promise<void> {
    await this.dataSource.transaction((em) => addToOutbox(em, Topic.PagerDutyWebhookReceived, snapshotObservation(config, incident, stamp, RECONCILE_EVENT_TYPE)));
  }

  private async record(config: IntegrationRuntimeConfig, s: ReconcileSummary): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO "reconcile_run" ("id", "organization_id", "integration_id", "trigger", "dry_run", "since", "started_at", "finished_at", "duration_ms",
         "incidents_checked", "requests", "repairs", "drift", "errors", "webhook_subscription")
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13::jsonb, $14::jsonb, $15::jsonb)`,
      [s.id, config.organizationId, config.id, s.trigger, s.dry_run, s.since, s.started_at, s.finished_at, s.duration_ms, s.incidents_checked, s.requests,
        JSON.stringify(s.repairs), JSON.stringify(s.drift), JSON.stringify(s.errors), JSON.stringify(s.webhook_subscription)],
    );
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppError, deterministicUuid, Topic } from '@incident-sync/contracts';
import { IntegrationLookup, type IntegrationRuntimeConfig } from '@incident-sync/integration-config-client';
import { addToOutbox } from '@incident-sync/persistence';
import { parsePagerDutyIncidentSnapshot, planCreateOnPlatform, syncFlow } from '@incident-sync/sync-domain';
import {
  backfillView, EMPTY_COUNTS, emptyOutboundState, includesInbound, includesOutbound, needsQueuing,
  type BackfillDirection, type BackfillJobRow, type BackfillJobView, type BackfillPlanItem,
} from './backfill-job';
import { BackfillJobRepository, type BackfillProgress } from './backfill-job.repository';
import { PacedReads } from './paced-reads';
import { PagerDutyReads } from './pagerduty-reads.service';
import { BACKFILL_EVENT_TYPE } from './reconcile-drift';
import { RECONCILE_TICK_MS } from './reconcile-scheduler.service';
import { MAX_WINDOW_MS, PAGE_LIMIT, scanWindow, type TimeWindow } from './reconcile-window';
import { snapshotObservation } from './snapshot-observation';
import { OutboundBackfill } from './outbound-backfill.service';
import { serviceMappingOf, toIntegrationSettings, unmappedServicePolicyOf } from './to-domain-settings';

type RestIncident = Record<string, unknown> & { id: string; created_at?: string; title?: string; incident_number?: number; service?: { id?: string } };
type IncidentPage = { data: { incidents: RestIncident[]; more: boolean; total: number | null } };

/** Progress is written (and a cancel noticed) this often while a job runs. */
const HEARTBEAT_MS = 2000;
/** A dry run lists at most this many incidents it would import or skip (the counts cover them all). */
const PLAN_KEPT = 1000;
const ERRORS_KEPT = 50;

/** Thrown inside a run when the job was cancelled or taken over: stop without touching the row. */
class Stopped extends Error {}

/**
 * Backfill (issue #14): links and imports the PagerDuty incidents that existed before the
 * integration. A job runs server-side (it survives the CLI being killed): it lists PagerDuty's
 * incidents created since the date (`GET /incidents?since&until`, 100 per request, windows
 * narrowed below the 10,000-record cap by scanWindow), paced like reconcile reads from the
 * integration's shared budget, and publishes each one not yet linked as a synthetic observation
 * on the webhook topic under the incident's key, so it is linked and created on the platform by
 * the same ordered path and rules as a live `incident.triggered` (unmapped services included).
 * Each queued incident is recorded in `backfill_item` in the same transaction as its message:
 * a job resumed after a crash, or run again, never queues an incident twice (and the link's
 * deterministic id stops a duplicate link regardless). A running job whose process died is
 * resumed by any replica once its heartbeat is stale.
 *
 * Outbound (`direction` outbound, or both: inbound first, then outbound): OutboundBackfill
 * (outbound-backfill.service.ts) pushes the platform incidents created since the date, under the
 * same job, heartbeat, cancel and resume.
 */
@Injectable()
export class BackfillService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(BackfillService.name);
  readonly owner = `backfill-${randomUUID()}`;
  private readonly active = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private stopping = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly integrations: IntegrationLookup,
    private readonly reads: PagerDutyReads,
    private readonly jobs: BackfillJobRepository,
    private readonly outbound: OutboundBackfill,
    @Inject(RECONCILE_TICK_MS) private readonly tickMs: number,
  ) {}

  onApplicationBootstrap(): void {
    if (this.tickMs > 0) this.timer = setInterval(() => void this.resumeStale().catch((error: unknown) => this.logger.warn({ msg: 'backfill resume check failed', err: error })), this.tickMs);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    await Promise.allSettled([...this.active.values()]);
  }

  /** POST /integrations/:ref/backfill: a new job, or the running one (resumed here when its holder died). */
  async start(organizationId: string, ref: string, options: { since: Date; direction: BackfillDirection; dryRun: boolean }): Promise<{ created: boolean; job: BackfillJobView }> {
    const config = await this.integrations.inOrganization(organizationId, ref);
    if (!config.enabled) throw new AppError('INTEGRATION_PAUSED', `integration ${config.slug} is paused (disabled); enable it to backfill`);
    if (includesOutbound(options.direction) && !syncFlow(toIntegrationSettings(config)).outbound) {
      throw AppError.validation('direction', `direction ${options.direction} pushes platform incidents to PagerDuty, but integration ${config.slug} does not sync outbound (its sync_direction is ${config.syncDirection}); set its direction to outbound or bidirectional first, or backfill inbound`);
    }
    const running = await this.jobs.running(config.id);
    if (running !== null) {
      if (running.dry_run !== options.dryRun || running.since.getTime() !== options.since.getTime() || running.direction !== options.direction) {
        throw new AppError('CONFLICT', `a backfill of integration ${config.slug} is already running (job ${running.id}, since ${running.since.toISOString()}${running.dry_run ? ', dry run' : ''}); follow it with im integration backfill ${config.slug} --status, or stop it with --cancel`);
      }
      const resumed = await this.jobs.claimStale(this.owner, running.id);
      if (resumed !== null) this.launch(resumed);
      return { created: false, job: await this.view(resumed ?? running) };
    }
    const created = await this.jobs.create({
      id: randomUUID(), organizationId: config.organizationId, integrationId: config.id, direction: options.direction, dryRun: options.dryRun,
      since: options.since, until: new Date(), owner: this.owner, counts: EMPTY_COUNTS,
      outbound: includesOutbound(options.direction) ? emptyOutboundState() : null,
    });
    if (created === null) throw new AppError('CONFLICT', `a backfill of integration ${config.slug} has just been started; follow it with im integration backfill ${config.slug} --status`);
    this.launch(created);
    return { created: true, job: await this.view(created) };
  }

  /** GET /integrations/:ref/backfill: the latest job. */
  async latest(organizationId: string, ref: string): Promise<BackfillJobView> {
    const config = await this.integrations.inOrganization(organizationId, ref);
    const job = await this.jobs.latest(config.id);
    if (job === null) throw AppError.notFound(`backfill of integration ${config.slug} (none was started; im integration backfill ${config.slug} --since <date>)`);
    return this.view(job);
  }

  /** POST /integrations/:ref/backfill/cancel: stops the running job (what it queued stays queued; a new run skips it). */
  async cancel(organizationId: string, ref: string): Promise<BackfillJobView> {
    const config = await this.integrations.inOrganization(organizationId, ref);
    const job = await this.jobs.cancel(config.id);
    if (job === null) throw AppError.notFound(`running backfill of integration ${config.slug}`);
    return this.view(job);
  }

  /** Every tick: a running job nobody holds any more (its process died) is resumed here. */
  async resumeStale(): Promise<void> {
    if (this.stopping) return;
    const job = await this.jobs.claimStale(this.owner);
    if (job === null) return;
    this.logger.log({ msg: 'resuming a backfill job whose holder stopped', jobId: job.id, integrationId: job.integration_id, runs: job.runs });
    this.launch(job);
  }

  private async view(job: BackfillJobRow): Promise<BackfillJobView> {
    const linked = job.dry_run || !includesInbound(job.direction) ? 0 : await this.jobs.linkedCount(job);
    const created = job.dry_run || job.outbound === null ? 0 : await this.jobs.createdCount(job.id);
    return backfillView(job, linked, new Date(), created);
  }

  private launch(job: BackfillJobRow): void {
    const run = this.run(job)
      .catch((error: unknown) => this.logger.error({ msg: 'backfill job crashed', jobId: job.id, err: error }))
      .finally(() => this.active.delete(job.id));
    this.active.set(job.id, run);
  }

  private async run(job: BackfillJobRow): Promise<void> {
    // A resumed job reads its window again from the start: what is linked or queued is counted, not queued again.
    const progress: BackfillProgress = {
      requests: job.requests, counts: { ...EMPTY_COUNTS, total: job.counts.total }, plan: [], errors: [],
      outbound: includesOutbound(job.direction) ? emptyOutboundState() : null,
    };
    let stopped = false;
    const beat = async (): Promise<void> => {
      const status = await this.jobs.heartbeat(job.id, this.owner, progress);
      if (status !== 'running') stopped = true;
    };
    const timer = setInterval(() => void beat().catch(() => undefined), HEARTBEAT_MS);
    const check = (): void => {
      if (stopped || this.stopping) throw new Stopped();
    };
    try {
      const config = await this.integrations.byId(job.integration_id);
      if (config === null) throw new Error('the integration no longer exists');
      if (!config.enabled) throw new Error('the integration is paused (disabled); enable it and run the backfill again');
      // One pacer for the whole job: its reads and its creates together stay within the background share.
      const paced = new PacedReads(this.reads, config);
      if (includesInbound(job.direction)) await this.runInbound(config, job, progress, paced, check);
      if (includesOutbound(job.direction)) await this.outbound.run(config, job, progress, paced, check);
      check();
      clearInterval(timer);
      await this.jobs.finish(job.id, this.owner, 'succeeded', progress);
      this.logger.log({ msg: 'backfill job finished', jobId: job.id, integrationId: job.integration_id, dryRun: job.dry_run, counts: progress.counts, outbound: progress.outbound?.counts, requests: progress.requests });
    } catch (error) {
      clearInterval(timer);
      if (error instanceof Stopped) {
        // Cancelled: write the last counts. Shutting down or taken over: the row is left running (another holder resumes it).
        if (!this.stopping) await this.jobs.heartbeat(job.id, this.owner, progress).catch(() => undefined);
        return;
      }
      progress.errors.push({ pd_incident_id: null, message: error instanceof Error ? error.message : String(error) });
      await this.jobs.finish(job.id, this.owner, 'failed', progress);
      this.logger.warn({ msg: 'backfill job failed', jobId: job.id, integrationId: job.integration_id, err: error });
    }
  }

  /** PagerDuty → platform: list PagerDuty's incidents of the window and queue each unlinked one as an observation. */
  private async runInbound(config: IntegrationRuntimeConfig, job: BackfillJobRow, progress: BackfillProgress, paced: PacedReads, check: () => void): Promise<void> {
    const window = { since: job.since.getTime(), until: job.until.getTime() };
    const list = async (w: TimeWindow, offset: number, limit: number, withTotal: boolean): Promise<IncidentPage['data']> => {
      check();
      try {
        const { data } = await paced.run<IncidentPage>('GET /incidents', (client) => client.listIncidents({
          since: new Date(w.since).toISOString(), until: new Date(w.until).toISOString(), limit, offset, ...(withTotal ? { total: 'true' } : {}),
        }));
        return data;
      } finally {
        progress.requests = job.requests + paced.requests;
      }
    };
    if (progress.counts.total === null) progress.counts.total = await this.count(window, list);
    await scanWindow(window, async (w, offset, limit, withTotal) => {
      const data = await list(w, offset, limit, withTotal);
      return { items: data.incidents, more: data.more, total: data.total ?? null };
    }, async (incidents) => {
      check();
      await this.handlePage(config, job, progress, incidents);
    }, { limit: PAGE_LIMIT });
  }

  /** PagerDuty incidents created in the window (`total=true`, one request per six months). */
  private async count(window: TimeWindow, list: (w: TimeWindow, offset: number, limit: number, withTotal: boolean) => Promise<IncidentPage['data']>): Promise<number | null> {
    let total = 0;
    for (let since = window.since; since < window.until; since += MAX_WINDOW_MS) {
      const page = await list({ since, until: Math.min(window.until, since + MAX_WINDOW_MS) }, 0, 1, true);
      if (page.total === null) return null;
      total += page.total;
    }
    return total;
  }

  /** One page of PagerDuty incidents: count the linked and queued ones, queue (or plan) the rest. */
  private async handlePage(config: IntegrationRuntimeConfig, job: BackfillJobRow, progress: BackfillProgress, incidents: RestIncident[]): Promise<void> {
    const ids = incidents.map((i) => i.id);
    const queuedBy = await this.jobs.queuedBy(config.id, 'pagerduty', ids);
    const linked = await this.linkedPdIds(config.id, ids);
    const counts = progress.counts;
    for (const incident of incidents) {
      if (!needsQueuing(counts, queuedBy.get(incident.id), job.id, linked.has(incident.id))) continue;
      if (job.dry_run) {
        this.plan(config, progress, incident);
        continue;
      }
      try {
        const stamp = Date.parse(incident.created_at ?? '') || Date.now();
        const queued = await this.dataSource.transaction(async (em) => {
          if (!(await this.jobs.recordQueued(em, config.id, incident.id, job.id))) return false;
          await addToOutbox(em, Topic.PagerDutyWebhookReceived, snapshotObservation(config, incident, stamp, BACKFILL_EVENT_TYPE));
          return true;
        });
        if (queued) counts.queued += 1;
        else counts.already_queued += 1;
      } catch (error) {
        if (progress.errors.length < ERRORS_KEPT) progress.errors.push({ pd_incident_id: incident.id, message: error instanceof Error ? error.message : String(error) });
      }
    }
  }

  /** A dry run: what the live rules would do with this incident (the same pure plan the consumer makes). */
  private plan(config: IntegrationRuntimeConfig, progress: BackfillProgress, incident: RestIncident): void {
    const change = parsePagerDutyIncidentSnapshot(incident, Date.now(), config.priorityMapping);
    const linkId = deterministicUuid(`link:${config.id}:${incident.id}`);
    const plan = planCreateOnPlatform({ linkId, change }, toIntegrationSettings(config), serviceMappingOf(config), Date.now(), unmappedServicePolicyOf(config));
    const create = plan.command !== null;
    if (create) progress.counts.queued += 1;
    else progress.counts.would_skip += 1;
    if (progress.plan.length >= PLAN_KEPT) return;
    const command = plan.command;
    const item: BackfillPlanItem = {
      pd_incident_id: incident.id,
      pd_incident_number: typeof incident.incident_number === 'number' ? incident.incident_number : null,
      title: typeof incident.title === 'string' ? incident.title : '',
      pd_service_id: change.serviceId,
      action: create ? 'create-and-link' : 'skip',
      detail: create
        ? `create a platform incident (type ${command?.incidentType ?? 'unset'}, severity ${command?.fields.severity ?? '-'}, status ${command?.fields.status ?? '-'}) and link it`
        : plan.decisions[0]?.reason ?? 'not imported',
    };
    progress.plan.push(item);
  }

  private async linkedPdIds(integrationId: string, pdIds: string[]): Promise<Set<string>> {
    if (pdIds.length === 0) return new Set();
    const rows: { pd_incident_id: string }[] = await this.dataSource.query(
      `SELECT "pd_incident_id" FROM "incident_link" WHERE "integration_id" = $1 AND "pd_incident_id" = ANY($2::varchar[])`, [integrationId, pdIds],
    );
    return new Set(rows.map((r) => r.pd_incident_id));
  }
}

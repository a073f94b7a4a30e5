import { Inject, Injectable } from '@nestjs/common';
import { deterministicUuid } from '@incident-sync/contracts';
import type { IntegrationRuntimeConfig } from '@incident-sync/integration-config-client';
import { emptyOutboundState, isClosedForBackfill, needsQueuing, type BackfillJobRow, type OutboundBackfillState } from './backfill-job';
import { BackfillJobRepository, type BackfillProgress } from './backfill-job.repository';
import type { PacedReads } from './paced-reads';
import { PLATFORM_INCIDENTS_API, type PlatformIncidentListItem, type PlatformIncidentsApi } from './platform-incidents.client';
import { pagerDutyCreateTarget } from './to-domain-settings';

/** A dry run lists at most this many incidents it would create, and the job at most this many unmapped ones (the counts cover them all). */
const PLAN_KEPT = 1000;
const ERRORS_KEPT = 50;
/** Platform incidents listed per request of the outbound scan (the incidents API's maximum). */
const PLATFORM_PAGE = 200;
/** Platform incidents whose links and items are looked up together. */
const OUTBOUND_SLICE = 100;
/** The outbound backfill stops queueing while this many of its creates wait for PagerDuty (the dispatcher cannot keep up or PagerDuty is down)… */
const MAX_CREATES_IN_FLIGHT = 10;
/** …but not longer than this per create (a create the dispatcher dead-lettered stays without a PagerDuty id). */
const IN_FLIGHT_MAX_WAIT_MS = 60000;
/** An announcement the incidents service did not take is tried this many times, waiting ANNOUNCE_RETRY_MS × attempt between tries (a restart of the service). */
const ANNOUNCE_ATTEMPTS = 5;
const ANNOUNCE_RETRY_MS = 1000;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The outbound part of a backfill job (issue #14; BackfillService runs it for direction outbound
 * or both): the organization's platform incidents created since the date, listed over the
 * incidents service's API (never its database), oldest first. One not linked to the integration,
 * not resolved or closed, and whose type a PagerDuty service takes (pagerDutyCreateTarget, the
 * rule of live creates) is announced: the incidents service publishes its current state as a
 * `backfill` change on platform.incident.changed, in order with its edits, and the outbound
 * consumer creates it in PagerDuty exactly like a live create (link reserved under a
 * deterministic id before the create is sent; the create carries incident_key). `backfill_item`
 * (side platform) records each announced incident. Announcements are paced to the integration's
 * background share (`reconcile_budget_percent` of its rate limit, one pacer with the job's
 * reads), and pause while many of the job's creates still wait for PagerDuty, so live writes are
 * never queued behind a backfill.
 */
@Injectable()
export class OutboundBackfill {
  constructor(private readonly jobs: BackfillJobRepository, @Inject(PLATFORM_INCIDENTS_API) private readonly platform: PlatformIncidentsApi) {}

  /** Platform → PagerDuty: list the organization's platform incidents of the window (oldest first) and announce each one to push. */
  async run(config: IntegrationRuntimeConfig, job: BackfillJobRow, progress: BackfillProgress, paced: PacedReads, check: () => void): Promise<void> {
    const state = progress.outbound ?? emptyOutboundState();
    progress.outbound = state;
    const incidents: PlatformIncidentListItem[] = [];
    let cursor: string | null = null;
    do {
      check();
      const page = await this.platform.listCreatedSince(job.organization_id, job.since, cursor, PLATFORM_PAGE);
      // Incidents created after the job started are the live path's (it creates them when they are made).
      incidents.push(...page.data.filter((i) => Date.parse(i.created_at) < job.until.getTime()));
      cursor = page.next_cursor;
    } while (cursor !== null);
    incidents.reverse();
    state.counts.total = incidents.length;
    for (let i = 0; i < incidents.length; i += OUTBOUND_SLICE) {
      check();
      await this.handlePlatformPage(config, job, progress, paced, incidents.slice(i, i + OUTBOUND_SLICE), check);
    }
    state.scan_done = true;
  }

  /** One slice of platform incidents: count the linked, queued, closed and unmapped ones; announce (or plan) the rest. */
  private async handlePlatformPage(
    config: IntegrationRuntimeConfig, job: BackfillJobRow, progress: BackfillProgress, paced: PacedReads, incidents: PlatformIncidentListItem[], check: () => void,
  ): Promise<void> {
    const state = progress.outbound ?? emptyOutboundState();
    const counts = state.counts;
    const ids = incidents.map((i) => i.id);
    const queuedBy = await this.jobs.queuedBy(config.id, 'platform', ids);
    const linked = await this.jobs.linkedPlatformIds(config.id, ids);
    for (const incident of incidents) {
      // Recorded by this job (an earlier run of it) but not linked yet: the run that recorded it may
      // have died before announcing it, so it is announced again under the same event id (the
      // consumer's inbox drops the second announcement when the first one arrived).
      const resend = !job.dry_run && queuedBy.get(incident.id) === job.id && !linked.has(incident.id);
      if (!needsQueuing(counts, queuedBy.get(incident.id), job.id, linked.has(incident.id)) && !resend) continue;
      if (!resend) {
        if (isClosedForBackfill(incident.status)) {
          counts.skipped_closed += 1;
          continue;
        }
        const target = pagerDutyCreateTarget(config, incident.incident_type);
        if (target.serviceId === null) {
          counts.unmapped += 1;
          if (state.unmapped.length < PLAN_KEPT) state.unmapped.push({ incident_id: incident.id, number: incident.number, title: incident.title, incident_type: incident.incident_type });
          continue;
        }
        if (job.dry_run) {
          counts.queued += 1;
          if (state.plan.length < PLAN_KEPT) {
            state.plan.push({
              incident_id: incident.id, number: incident.number, title: incident.title, action: 'create-in-pagerduty',
              detail: `open a PagerDuty incident on service ${target.serviceId} (${incident.severity}, ${incident.status}) and link it`,
            });
          }
          continue;
        }
      }
      await this.waitForRoom(job.id, check);
      await paced.pace();
      check();
      await this.announce(config, job, progress, incident, resend, check);
    }
  }

  /**
   * Records the incident as this job's (before announcing it: a crash in between leaves a record a
   * resumed run announces again, where announcing first could leave an incident linked by the
   * announcement but counted by no job), then asks the incidents service to announce it. A
   * failure the incidents service may get over (a restart) is retried; one that stays takes the
   * record back, so a later backfill queues the incident again.
   */
  private async announce(
    config: IntegrationRuntimeConfig, job: BackfillJobRow, progress: BackfillProgress, incident: PlatformIncidentListItem, resend: boolean, check: () => void,
  ): Promise<void> {
    const counts = (progress.outbound ?? emptyOutboundState()).counts;
    const recorded = resend || (await this.jobs.recordQueuedPlatform(config.id, incident.id, job.id));
    if (!recorded) {
      counts.already_queued += 1;
      return;
    }
    if (!resend) counts.queued += 1;
    const eventId = deterministicUuid(`backfill:${job.id}:platform:${incident.id}`);
    let failure: string | null = null;
    for (let attempt = 1; ; attempt += 1) {
      try {
        if (await this.platform.announce(job.organization_id, incident.id, { integration_id: config.id, job_id: job.id, event_id: eventId })) return;
        failure = `incident ${incident.number} no longer exists`;
        break;
      } catch (error) {
        failure = error instanceof Error ? error.message : String(error);
        if (attempt >= ANNOUNCE_ATTEMPTS) break;
        await sleep(ANNOUNCE_RETRY_MS * attempt);
        try {
          check();
        } catch (stopped) {
          // Stopped between tries: the record goes, so whoever runs next queues the incident afresh.
          await this.forget(config, job, counts, incident, resend);
          throw stopped;
        }
      }
    }
    this.error(progress, { pd_incident_id: null, incident_id: incident.id, message: failure });
    await this.forget(config, job, counts, incident, resend);
  }

  private async forget(config: IntegrationRuntimeConfig, job: BackfillJobRow, counts: OutboundBackfillState['counts'], incident: PlatformIncidentListItem, resend: boolean): Promise<void> {
    if (!resend) counts.queued -= 1;
    await this.jobs.forgetQueuedPlatform(config.id, incident.id, job.id).catch(() => undefined);
  }

  /** Holds the next announcement while too many of this job's creates still wait for PagerDuty (bounded, so a dead-lettered create cannot stall the job). */
  private async waitForRoom(jobId: string, check: () => void): Promise<void> {
    const deadline = Date.now() + IN_FLIGHT_MAX_WAIT_MS;
    while (Date.now() < deadline && (await this.jobs.inFlightCreates(jobId)) >= MAX_CREATES_IN_FLIGHT) {
      check();
      await sleep(250);
    }
  }

  private error(progress: BackfillProgress, error: BackfillProgress['errors'][number]): void {
    if (progress.errors.length < ERRORS_KEPT) progress.errors.push(error);
  }
}

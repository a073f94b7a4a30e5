import { Injectable } from '@nestjs/common';
import { Histogram } from 'prom-client';
import { Metrics, secondsBetween } from '@incident-sync/service-runtime';
import { PendingCommand } from './coalesce-commands';
import { DispatchRepository } from './dispatch.repository';

/**
 * The dispatcher's own metrics (PagerDuty requests and tokens: pagerduty-clients.ts):
 * - `incident_sync_outbound_sync_latency_seconds{action,outcome}`: a command's issuedAt (the
 *   sync-engine decided it) to PagerDuty's answer; succeeded, or failed for good (dead-lettered).
 * - `incident_sync_dispatcher_queued_commands{state}`: pending commands waiting for their
 *   first try (`pending`) or for a retry after a transient failure (`parked`), read at scrape.
 */
@Injectable()
export class DispatcherMetrics {
  private readonly latency: Histogram<'action' | 'outcome'>;

  constructor(metrics: Metrics, repository: DispatchRepository) {
    this.latency = metrics.histogram('incident_sync_outbound_sync_latency_seconds', 'From a PagerDuty command being issued by the sync-engine to PagerDuty answering it', ['action', 'outcome']);
    metrics.gaugeReadAtScrape('incident_sync_dispatcher_queued_commands', 'PagerDuty commands not yet settled: pending (never tried) or parked (waiting for a retry)', ['state'], async () => {
      const queue = await repository.queueTotals();
      return [{ labels: { state: 'pending' }, value: queue.pending }, { labels: { state: 'parked' }, value: queue.parked }];
    });
  }

  /** One observation per command the answer settles (a coalesced unit settles several). */
  answered(commands: readonly PendingCommand[], outcome: 'succeeded' | 'failed', answeredAt = Date.now()): void {
    for (const c of commands) {
      const seconds = secondsBetween(c.command.issuedAt, answeredAt);
      if (seconds !== null) this.latency.observe({ action: c.action, outcome }, seconds);
    }
  }
}

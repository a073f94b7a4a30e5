import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Histogram } from 'prom-client';
import { schemaOf } from '@incident-sync/persistence';
import { Metrics, secondsBetween } from '@incident-sync/service-runtime';

/**
 * The sync-engine's own metrics (PagerDuty reads: pagerduty-reads.service.ts):
 * - `incident_sync_inbound_sync_latency_seconds`: a webhook's receivedAt at webhook-ingress to
 *   the sync-engine having handled it (applied, or recorded as nothing to do).
 * - `incident_sync_open_conflicts`: conflicts waiting for a person, read at scrape (COUNT).
 */
@Injectable()
export class SyncMetrics {
  private readonly inboundLatency: Histogram;

  constructor(metrics: Metrics, dataSource: DataSource) {
    this.inboundLatency = metrics.histogram('incident_sync_inbound_sync_latency_seconds', 'From webhook-ingress receiving a PagerDuty webhook to the sync-engine having handled it');
    metrics.gaugeReadAtScrape('incident_sync_open_conflicts', 'Sync conflicts open (waiting for a resolution), all integrations', [], async () => {
      const [row] = (await dataSource.query(`SELECT count(*)::int AS n FROM "${schemaOf(dataSource)}"."sync_conflict" WHERE "status" = 'open'`)) as { n: number }[];
      return Number(row?.n ?? 0);
    });
  }

  /** A webhook received at `receivedAt` (ISO) was handled now. */
  inboundHandled(receivedAt: string): void {
    const seconds = secondsBetween(receivedAt);
    if (seconds !== null) this.inboundLatency.observe(seconds);
  }
}

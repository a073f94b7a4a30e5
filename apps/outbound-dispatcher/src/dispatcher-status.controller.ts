import { Controller, Get, Param } from '@nestjs/common';
import { IntegrationLookup } from '@incident-sync/integration-config-client';
import { OrgId } from '@incident-sync/service-runtime';
import { DispatchRepository } from './dispatch.repository';
import { IntegrationLeaseRepository } from './integration-lease.repository';
import { PagerDutyClients } from './pagerduty-clients';
import { TokenBucket } from './token-bucket';

export interface DispatcherStatusView {
  integration_id: string;
  queue_depth: number;
  tokens_available: number;
  rate_limit_per_minute: number;
  last_success_at: string | null;
  last_error: { at: string; message: string } | null;
  rate_limited_429_count: number;
  oldest_pending_at: string | null;
  dead_lettered_count: number;
  /** Pending commands that failed transiently and wait for their retry (never dead-lettered for that). */
  parked_count: number;
  /** Later commands of the same incidents, held back behind a parked one (per-incident order). */
  held_count: number;
  oldest_parked_at: string | null;
  /** Seconds since the oldest parked command first failed; 0 when nothing is parked. */
  oldest_parked_age_seconds: number;
  /** End of a 429 pause of the integration's PagerDuty token, null when not paused. */
  rate_limited_until: string | null;
}

const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null);

/** GET /api/v1/integrations/:id/dispatcher/status — aggregated by the sync-status command. */
@Controller('api/v1/integrations/:id/dispatcher')
export class DispatcherStatusController {
  constructor(private readonly integrations: IntegrationLookup, private readonly repository: DispatchRepository, private readonly leases: IntegrationLeaseRepository, private readonly clients: PagerDutyClients) {}

  @Get('status')
  async status(@OrgId() organizationId: string, @Param('id') id: string): Promise<DispatcherStatusView> {
    const config = await this.integrations.inOrganization(organizationId, id);
    const [queue, stats, parked, pausedUntil] = await Promise.all([
      this.repository.queueStatus(config.id), this.repository.stats(config.id), this.repository.parkedStatus(config.id), this.leases.pausedUntil(config.id),
    ]);
    // Only the instance draining the integration holds its live bucket; elsewhere it is full.
    const tokens = this.clients.bucketOf(config.id)?.available() ?? new TokenBucket(config.rateLimitPerMinute).available();
    return {
      integration_id: config.id,
      queue_depth: queue.queueDepth,
      tokens_available: tokens,
      rate_limit_per_minute: config.rateLimitPerMinute,
      last_success_at: iso(stats.lastSuccessAt),
      last_error: stats.lastErrorAt && stats.lastErrorMessage ? { at: new Date(stats.lastErrorAt).toISOString(), message: stats.lastErrorMessage } : null,
      rate_limited_429_count: stats.rateLimited429Count,
      oldest_pending_at: iso(queue.oldestPendingAt),
      dead_lettered_count: stats.deadLetteredCount,
      parked_count: parked.parked,
      held_count: parked.held,
      oldest_parked_at: iso(parked.oldestParkedAt),
      oldest_parked_age_seconds: parked.oldestParkedAt ? Math.max(0, Math.floor((Date.now() - parked.oldestParkedAt.getTime()) / 1000)) : 0,
      rate_limited_until: iso(pausedUntil),
    };
  }
}

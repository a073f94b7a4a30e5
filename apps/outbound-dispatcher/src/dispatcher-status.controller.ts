import { Controller, Get, Param } from '@nestjs/common';
import { IntegrationLookup } from '@incident-sync/integration-config-client';
import { OrgId } from '@incident-sync/service-runtime';
import { DispatchRepository } from './dispatch.repository';
import { DispatchScheduler } from './dispatch-scheduler.service';
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
}

const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null);

/** GET /api/v1/integrations/:id/dispatcher/status — aggregated by the sync-status command. */
@Controller('api/v1/integrations/:id/dispatcher')
export class DispatcherStatusController {
  constructor(private readonly integrations: IntegrationLookup, private readonly repository: DispatchRepository, private readonly scheduler: DispatchScheduler) {}

  @Get('status')
  async status(@OrgId() organizationId: string, @Param('id') id: string): Promise<DispatcherStatusView> {
    const config = await this.integrations.inOrganization(organizationId, id);
    const [queue, stats] = await Promise.all([this.repository.queueStatus(config.id), this.repository.stats(config.id)]);
    // Only the instance draining the integration holds its live bucket; elsewhere it is full.
    const tokens = this.scheduler.bucketOf(config.id)?.available() ?? new TokenBucket(config.rateLimitPerMinute).available();
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
    };
  }
}

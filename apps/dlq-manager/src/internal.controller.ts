import { Controller, Get, Query } from '@nestjs/common';
import { CountDeadLettersQuery } from './dlq.dto';
import { DlqService } from './dlq.service';

/** Service-to-service API (internal token required; the gateway routes only /api/v1). */
@Controller('internal/v1/dead-letters')
export class InternalController {
  constructor(private readonly dlq: DlqService) {}

  /** `{pending, total}` of an integration (sync-status), an organization, or everything. */
  @Get('count')
  count(@Query() query: CountDeadLettersQuery): Promise<{ pending: number; total: number }> {
    return this.dlq.count({ integrationId: query.integration_id || undefined, organizationId: query.organization_id || undefined });
  }
}

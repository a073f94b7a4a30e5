import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { AppError, isUuid } from '@incident-sync/contracts';
import { BackfillAnnounceDto } from './backfill-announce.dto';
import { IncidentService } from './incident.service';

/** Service-to-service API (internal token required by the global guard; the gateway routes only /api/v1). */
@Controller('internal/v1/incidents')
export class InternalController {
  constructor(private readonly incidents: IncidentService) {}

  /**
   * The sync-engine's outbound backfill (issue #14): publish the incident's current state as a
   * `backfill` change for one integration, in order with the incident's other changes. 202: the
   * event is committed to the outbox; 404: no such incident in this organization.
   */
  @Post(':id/backfill-announce')
  @HttpCode(202)
  async announce(@Param('id') id: string, @Body() dto: BackfillAnnounceDto): Promise<{ incident_id: string; version: number; event_id: string }> {
    if (!isUuid(id)) throw AppError.validation('id', 'id must be the incident uuid');
    const incident = await this.incidents.announceForBackfill(dto.organization_id, id.toLowerCase(), { integrationId: dto.integration_id, jobId: dto.job_id }, dto.event_id);
    return { incident_id: incident.id, version: incident.version, event_id: dto.event_id };
  }
}

import { Controller, Get, Param } from '@nestjs/common';
import { IngressCounterRepository, IngressStatus } from './ingress-counter.repository';

/** Internal (service-to-service, internal token): inbound lag inputs for sync-status. */
@Controller('internal/v1/ingress/status')
export class IngressStatusController {
  constructor(private readonly counters: IngressCounterRepository) {}

  @Get(':integrationId')
  status(@Param('integrationId') integrationId: string): Promise<IngressStatus> {
    return this.counters.status(integrationId);
  }
}

import { Injectable } from '@nestjs/common';
import { PagerDutyCommandV1 } from '@incident-sync/contracts';
import { ConsumedMessage } from '@incident-sync/messaging';
import { DispatchRepository } from './dispatch.repository';
import { DispatchScheduler } from './dispatch-scheduler.service';

/**
 * The consumer's whole job: store the command durably (the primary key de-duplicates a
 * redelivery) and wake the integration's worker. The offset is committed only after this
 * returns, so a kill -9 at any point either redelivers the command or finds it stored.
 */
@Injectable()
export class CommandIntakeService {
  constructor(private readonly repository: DispatchRepository, private readonly scheduler: DispatchScheduler) {}

  async accept(message: ConsumedMessage<PagerDutyCommandV1>): Promise<void> {
    const command = message.payload;
    await this.repository.insertCommand(command, JSON.stringify(command), message.headers, message.partition, message.offset);
    this.scheduler.notify(command.integrationId);
  }
}

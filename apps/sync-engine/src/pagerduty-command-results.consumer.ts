import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { Topic } from '@incident-sync/contracts';
import { MessageConsumer, MessageHandler } from '@incident-sync/messaging';
import { CommandResultsService } from './command-results.service';

/** pagerduty.command.results → our PagerDuty writes confirmed or abandoned. */
@Controller()
export class PagerDutyCommandResultsConsumer {
  private readonly handler: MessageHandler<typeof Topic.PagerDutyCommandResults> = (m) => this.results.handle(m.payload);

  constructor(private readonly consumer: MessageConsumer, private readonly results: CommandResultsService) {
    // Registered up front: records parked before a restart drain without waiting for a new one.
    consumer.register(Topic.PagerDutyCommandResults, this.handler);
  }

  @EventPattern(Topic.PagerDutyCommandResults)
  handle(@Ctx() context: KafkaContext): Promise<void> {
    return this.consumer.consume(Topic.PagerDutyCommandResults, context, this.handler);
  }
}

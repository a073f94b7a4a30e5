import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { Topic } from '@incident-sync/contracts';
import { MessageConsumer } from '@incident-sync/messaging';
import { CommandResultsService } from './command-results.service';

/** pagerduty.command.results → our PagerDuty writes confirmed or abandoned. */
@Controller()
export class PagerDutyCommandResultsConsumer {
  constructor(private readonly consumer: MessageConsumer, private readonly results: CommandResultsService) {}

  @EventPattern(Topic.PagerDutyCommandResults)
  handle(@Ctx() context: KafkaContext): Promise<void> {
    return this.consumer.consume(Topic.PagerDutyCommandResults, context, (m) => this.results.handle(m.payload));
  }
}

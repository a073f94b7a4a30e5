import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { Topic } from '@incident-sync/contracts';
import { MessageConsumer } from '@incident-sync/messaging';
import { CommandIntakeService } from './command-intake.service';
import { DISPATCH_SETTINGS, DispatchSettings } from './dispatch-settings';

@Controller()
export class PagerDutyCommandsConsumer {
  constructor(private readonly consumer: MessageConsumer, private readonly intake: CommandIntakeService, @Inject(DISPATCH_SETTINGS) private readonly settings: DispatchSettings) {}

  @EventPattern(Topic.PagerDutyCommands)
  handle(@Ctx() context: KafkaContext): Promise<void> {
    return this.consumer.consume(Topic.PagerDutyCommands, context, (m) => this.intake.accept(m), this.settings.consumerGroup);
  }
}

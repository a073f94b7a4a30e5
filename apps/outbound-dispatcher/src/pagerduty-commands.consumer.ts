import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { Topic } from '@incident-sync/contracts';
import { MessageConsumer, MessageHandler } from '@incident-sync/messaging';
import { CommandIntakeService } from './command-intake.service';
import { DISPATCH_SETTINGS, DispatchSettings } from './dispatch-settings';

@Controller()
export class PagerDutyCommandsConsumer {
  private readonly handler: MessageHandler<typeof Topic.PagerDutyCommands> = (m) => this.intake.accept(m);

  constructor(private readonly consumer: MessageConsumer, private readonly intake: CommandIntakeService, @Inject(DISPATCH_SETTINGS) private readonly settings: DispatchSettings) {
    // Registered up front: records parked before a restart drain without waiting for a new one.
    consumer.register(Topic.PagerDutyCommands, this.handler, settings.consumerGroup);
  }

  @EventPattern(Topic.PagerDutyCommands)
  handle(@Ctx() context: KafkaContext): Promise<void> {
    return this.consumer.consume(Topic.PagerDutyCommands, context, this.handler, this.settings.consumerGroup);
  }
}

import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { Topic } from '@incident-sync/contracts';
import { MessageConsumer } from '@incident-sync/messaging';
import { ApplyIncidentCommandService } from './apply-incident-command.service';

/** platform.incident.commands → the incident store. Validation, retries and the DLQ are MessageConsumer's. */
@Controller()
export class IncidentCommandsConsumer {
  constructor(private readonly consumer: MessageConsumer, private readonly commands: ApplyIncidentCommandService) {}

  @EventPattern(Topic.PlatformIncidentCommands)
  handle(@Ctx() context: KafkaContext): Promise<void> {
    return this.consumer.consume(Topic.PlatformIncidentCommands, context, async (message) => {
      await this.commands.apply(message.payload);
    });
  }
}

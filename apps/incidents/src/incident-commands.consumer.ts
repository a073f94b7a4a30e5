import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { Topic } from '@incident-sync/contracts';
import { MessageConsumer, MessageHandler } from '@incident-sync/messaging';
import { ApplyIncidentCommandService } from './apply-incident-command.service';

/** The Kafka consumer group the commands are read in; dead letters name it. */
export const COMMANDS_CONSUMER_GROUP = Symbol('COMMANDS_CONSUMER_GROUP');

/** platform.incident.commands → the incident store. Validation, retries and the DLQ are MessageConsumer's. */
@Controller()
export class IncidentCommandsConsumer {
  constructor(
    private readonly consumer: MessageConsumer,
    private readonly commands: ApplyIncidentCommandService,
    @Inject(COMMANDS_CONSUMER_GROUP) private readonly consumerGroup: string,
  ) {
    // Registered up front: records parked before a restart drain without waiting for a new one.
    consumer.register(Topic.PlatformIncidentCommands, this.handler, consumerGroup);
  }

  private readonly handler: MessageHandler<typeof Topic.PlatformIncidentCommands> = async (message) => {
    await this.commands.apply(message.payload);
  };

  @EventPattern(Topic.PlatformIncidentCommands)
  handle(@Ctx() context: KafkaContext): Promise<void> {
    return this.consumer.consume(Topic.PlatformIncidentCommands, context, this.handler, this.consumerGroup);
  }
}

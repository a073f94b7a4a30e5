import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { Topic } from '@incident-sync/contracts';
import { MessageConsumer, MessageHandler } from '@incident-sync/messaging';
import { IntegrationDirectory } from './integration-directory.service';

/** Drops an integration's cached secrets when integration-config says it changed. */
@Controller()
export class IntegrationConfigChangedConsumer {
  private readonly handler: MessageHandler<typeof Topic.IntegrationConfigChanged> = async (m) => this.integrations.invalidate(m.payload.integrationId);

  constructor(private readonly consumer: MessageConsumer, private readonly integrations: IntegrationDirectory) {
    // Registered up front: records parked before a restart drain without waiting for a new one.
    consumer.register(Topic.IntegrationConfigChanged, this.handler);
  }

  @EventPattern(Topic.IntegrationConfigChanged)
  handle(@Ctx() context: KafkaContext): Promise<void> {
    return this.consumer.consume(Topic.IntegrationConfigChanged, context, this.handler);
  }
}

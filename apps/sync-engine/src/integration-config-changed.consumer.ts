import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { Topic } from '@incident-sync/contracts';
import { MessageConsumer, MessageHandler } from '@incident-sync/messaging';
import { IntegrationDirectory } from './integration-directory.service';
import { PriorityDirectory } from './priority-directory.service';
import { UserDirectory } from './user-directory.service';

/** integration.config.changed → the cached integration (and its priorities and users) is re-read on next use. */
@Controller()
export class IntegrationConfigChangedConsumer {
  private readonly handler: MessageHandler<typeof Topic.IntegrationConfigChanged> = async (m) => {
    this.integrations.invalidate(m.payload.integrationId, m.payload.organizationId);
    this.priorities.invalidate(m.payload.integrationId);
    this.users.invalidate(m.payload.integrationId);
  };

  constructor(
    private readonly consumer: MessageConsumer,
    private readonly integrations: IntegrationDirectory,
    private readonly priorities: PriorityDirectory,
    private readonly users: UserDirectory,
  ) {
    consumer.register(Topic.IntegrationConfigChanged, this.handler);
  }

  @EventPattern(Topic.IntegrationConfigChanged)
  handle(@Ctx() context: KafkaContext): Promise<void> {
    return this.consumer.consume(Topic.IntegrationConfigChanged, context, this.handler);
  }
}

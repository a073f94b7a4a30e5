import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { Topic } from '@incident-sync/contracts';
import { MessageConsumer } from '@incident-sync/messaging';
import { IntegrationDirectory } from './integration-directory.service';
import { PriorityDirectory } from './priority-directory.service';

/** integration.config.changed → the cached integration (and its priorities) is re-read on next use. */
@Controller()
export class IntegrationConfigChangedConsumer {
  constructor(private readonly consumer: MessageConsumer, private readonly integrations: IntegrationDirectory, private readonly priorities: PriorityDirectory) {}

  @EventPattern(Topic.IntegrationConfigChanged)
  handle(@Ctx() context: KafkaContext): Promise<void> {
    return this.consumer.consume(Topic.IntegrationConfigChanged, context, async (m) => {
      this.integrations.invalidate(m.payload.integrationId, m.payload.organizationId);
      this.priorities.invalidate(m.payload.integrationId);
    });
  }
}

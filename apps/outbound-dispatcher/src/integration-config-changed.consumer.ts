import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { Topic } from '@incident-sync/contracts';
import { MessageConsumer } from '@incident-sync/messaging';
import { IntegrationDirectory } from './integration-directory.service';

/** Drops the cached integration so a new rate limit, token or From applies on the next request. */
@Controller()
export class IntegrationConfigChangedConsumer {
  constructor(private readonly consumer: MessageConsumer, private readonly integrations: IntegrationDirectory) {}

  @EventPattern(Topic.IntegrationConfigChanged)
  handle(@Ctx() context: KafkaContext): Promise<void> {
    return this.consumer.consume(Topic.IntegrationConfigChanged, context, async (m) => this.integrations.invalidate(m.payload.integrationId));
  }
}

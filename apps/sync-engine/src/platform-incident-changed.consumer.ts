import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { Topic } from '@incident-sync/contracts';
import { MessageConsumer } from '@incident-sync/messaging';
import { OutboundSyncService } from './outbound-sync.service';

/** platform.incident.changed → outbound sync. */
@Controller()
export class PlatformIncidentChangedConsumer {
  constructor(private readonly consumer: MessageConsumer, private readonly outbound: OutboundSyncService) {}

  @EventPattern(Topic.PlatformIncidentChanged)
  handle(@Ctx() context: KafkaContext): Promise<void> {
    return this.consumer.consume(Topic.PlatformIncidentChanged, context, (m) => this.outbound.handle(m.payload));
  }
}

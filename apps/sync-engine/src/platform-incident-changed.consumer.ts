import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { Topic } from '@incident-sync/contracts';
import { MessageConsumer, MessageHandler } from '@incident-sync/messaging';
import { OutboundSyncService } from './outbound-sync.service';

/** platform.incident.changed → outbound sync. */
@Controller()
export class PlatformIncidentChangedConsumer {
  private readonly handler: MessageHandler<typeof Topic.PlatformIncidentChanged> = (m) => this.outbound.handle(m.payload);

  constructor(private readonly consumer: MessageConsumer, private readonly outbound: OutboundSyncService) {
    // Registered up front: records parked before a restart drain without waiting for a new one.
    consumer.register(Topic.PlatformIncidentChanged, this.handler);
  }

  @EventPattern(Topic.PlatformIncidentChanged)
  handle(@Ctx() context: KafkaContext): Promise<void> {
    return this.consumer.consume(Topic.PlatformIncidentChanged, context, this.handler);
  }
}

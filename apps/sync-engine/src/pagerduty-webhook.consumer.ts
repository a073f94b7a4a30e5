import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { Topic } from '@incident-sync/contracts';
import { MessageConsumer, MessageHandler } from '@incident-sync/messaging';
import { InboundSyncService } from './inbound-sync.service';
import { SyncMetrics } from './sync-metrics';

/** pagerduty.webhook.received → inbound sync. Validation, retries and the DLQ are MessageConsumer's. */
@Controller()
export class PagerDutyWebhookConsumer {
  private readonly handler: MessageHandler<typeof Topic.PagerDutyWebhookReceived> = async (m) => {
    await this.inbound.handle(m.payload);
    this.metrics.inboundHandled(m.payload.receivedAt);
  };

  constructor(private readonly consumer: MessageConsumer, private readonly inbound: InboundSyncService, private readonly metrics: SyncMetrics) {
    // Registered up front: records parked before a restart drain without waiting for a new one.
    consumer.register(Topic.PagerDutyWebhookReceived, this.handler);
  }

  @EventPattern(Topic.PagerDutyWebhookReceived)
  handle(@Ctx() context: KafkaContext): Promise<void> {
    return this.consumer.consume(Topic.PagerDutyWebhookReceived, context, this.handler);
  }
}

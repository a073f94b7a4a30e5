import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { Topic } from '@incident-sync/contracts';
import { MessageConsumer } from '@incident-sync/messaging';
import { InboundSyncService } from './inbound-sync.service';

/** pagerduty.webhook.received → inbound sync. Validation, retries and the DLQ are MessageConsumer's. */
@Controller()
export class PagerDutyWebhookConsumer {
  constructor(private readonly consumer: MessageConsumer, private readonly inbound: InboundSyncService) {}

  @EventPattern(Topic.PagerDutyWebhookReceived)
  handle(@Ctx() context: KafkaContext): Promise<void> {
    return this.consumer.consume(Topic.PagerDutyWebhookReceived, context, (m) => this.inbound.handle(m.payload));
  }
}

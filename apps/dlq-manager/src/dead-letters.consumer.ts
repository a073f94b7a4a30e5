import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { DeadLetterTopic } from '@incident-sync/contracts';
import { rawRecordOf } from '@incident-sync/messaging';
import { DeadLetterIngestService } from './dead-letter-ingest.service';

/**
 * Every `*.dlq` topic → the dead_letter table. MessageConsumer only takes source topics (a
 * failure there dead-letters to `<topic>.dlq`, which for a DLQ topic does not exist), so
 * envelopes are validated in DeadLetterIngestService, which stores unreadable ones raw.
 */
@Controller()
export class DeadLettersConsumer {
  constructor(private readonly ingest: DeadLetterIngestService) {}

  @EventPattern(DeadLetterTopic.IntegrationConfigChanged)
  integrationConfigChanged(@Ctx() context: KafkaContext): Promise<void> {
    return this.handle(context);
  }

  @EventPattern(DeadLetterTopic.PlatformIncidentChanged)
  platformIncidentChanged(@Ctx() context: KafkaContext): Promise<void> {
    return this.handle(context);
  }

  @EventPattern(DeadLetterTopic.PlatformIncidentCommands)
  platformIncidentCommands(@Ctx() context: KafkaContext): Promise<void> {
    return this.handle(context);
  }

  @EventPattern(DeadLetterTopic.PagerDutyWebhookReceived)
  pagerDutyWebhookReceived(@Ctx() context: KafkaContext): Promise<void> {
    return this.handle(context);
  }

  @EventPattern(DeadLetterTopic.PagerDutyCommands)
  pagerDutyCommands(@Ctx() context: KafkaContext): Promise<void> {
    return this.handle(context);
  }

  @EventPattern(DeadLetterTopic.PagerDutyCommandResults)
  pagerDutyCommandResults(@Ctx() context: KafkaContext): Promise<void> {
    return this.handle(context);
  }

  private async handle(context: KafkaContext): Promise<void> {
    const raw = rawRecordOf(context);
    const value = raw.value == null ? '' : Buffer.isBuffer(raw.value) ? raw.value.toString('utf8') : String(raw.value);
    await this.ingest.ingest({ topic: raw.topic, partition: raw.partition, offset: raw.offset, value }, raw.heartbeat);
  }
}

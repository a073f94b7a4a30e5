import { Controller, Inject, Optional } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { IntegrationConfigChangedV1, Topic } from '@incident-sync/contracts';
import { MessageConsumer, MessageHandler } from '@incident-sync/messaging';
import { IntegrationLookup } from './integration-lookup';

/** Other per-integration caches a service keeps (e.g. sync-engine's priorities), cleared with the config. */
export type IntegrationChangeListener = (change: IntegrationConfigChangedV1) => void;
export const INTEGRATION_CHANGE_LISTENERS = Symbol('INTEGRATION_CHANGE_LISTENERS');

/**
 * integration.config.changed.v1 → the cached integration (and anything registered under
 * INTEGRATION_CHANGE_LISTENERS) is read again on next use, so a new token, secret, rate limit
 * or direction applies without a restart. A service registers this controller and provides
 * IntegrationLookup; validation, retries and the DLQ are MessageConsumer's.
 */
@Controller()
export class IntegrationConfigChangedConsumer {
  constructor(
    private readonly consumer: MessageConsumer,
    private readonly lookup: IntegrationLookup,
    @Optional() @Inject(INTEGRATION_CHANGE_LISTENERS) private readonly listeners?: IntegrationChangeListener[],
  ) {
    // Registered up front: records parked before a restart drain without waiting for a new one.
    consumer.register(Topic.IntegrationConfigChanged, this.handler);
  }

  private readonly handler: MessageHandler<typeof Topic.IntegrationConfigChanged> = async (m) => {
    this.lookup.invalidate(m.payload.integrationId, m.payload.organizationId);
    for (const listener of this.listeners ?? []) listener(m.payload);
  };

  @EventPattern(Topic.IntegrationConfigChanged)
  handle(@Ctx() context: KafkaContext): Promise<void> {
    return this.consumer.consume(Topic.IntegrationConfigChanged, context, this.handler);
  }
}

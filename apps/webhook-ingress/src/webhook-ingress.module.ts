import { DynamicModule, Module } from '@nestjs/common';
import { IntegrationConfigChangedConsumer, IntegrationLookup } from '@incident-sync/integration-config-client';
import { MessagingModule, outboxRelayProviders } from '@incident-sync/messaging';
import { PersistenceModule } from '@incident-sync/persistence';
import { ServiceRuntimeModule } from '@incident-sync/service-runtime';
import { DATABASE_SCHEMA, IngressCounterRepository } from './ingress-counter.repository';
import { IngressCounterEntity } from './ingress-counter.entity';
import { IngressStatusController } from './ingress-status.controller';
import { InitWebhookIngress1764196000000 } from './migrations/1764196000000-init-webhook-ingress';
import { OutboxSetAside1796000000000 } from './migrations/1796000000000-outbox-set-aside';
import { ParkedMessage1796000000000 } from './migrations/1796000000000-parked-message';
import { ReceiptRetentionService, RETENTION_HOURS } from './receipt-retention.service';
import { ReceiptWriter } from './receipt-writer';
import { ReceiveWebhookService } from './receive-webhook.service';
import { WebhookController } from './webhook.controller';
import { WebhookMetrics } from './webhook-metrics';
import { WebhookIngressEnv } from './webhook-ingress.env';
import { WebhookReceiptEntity } from './webhook-receipt.entity';
import { WebhookSelfTestService } from './webhook-self-test.service';

/** This service's tables and their committed migrations (the drift test checks both). */
export const PERSISTED_ENTITIES = [WebhookReceiptEntity, IngressCounterEntity];
export const MIGRATIONS = [InitWebhookIngress1764196000000, OutboxSetAside1796000000000, ParkedMessage1796000000000];

@Module({})
export class WebhookIngressModule {
  static forRoot(env: WebhookIngressEnv): DynamicModule {
    const schema = env.DATABASE_SCHEMA;
    return {
      module: WebhookIngressModule,
      imports: [
        ServiceRuntimeModule.forRoot({ service: 'webhook-ingress', internalToken: env.INTERNAL_TOKEN, gatewayToken: env.GATEWAY_TOKEN, metricsEnabled: env.METRICS_ENABLED }),
        PersistenceModule.forRoot({
          url: env.DATABASE_URL,
          schema,
          entities: PERSISTED_ENTITIES,
          migrations: MIGRATIONS,
        }),
        MessagingModule.forRoot({ clientId: 'webhook-ingress', brokers: env.KAFKA_BROKERS, parking: { maxParkedMs: env.PARKED_MAX_AGE_MS } }),
      ],
      controllers: [WebhookController, IngressStatusController, IntegrationConfigChangedConsumer],
      providers: [
        { provide: DATABASE_SCHEMA, useValue: schema },
        { provide: RETENTION_HOURS, useValue: env.WEBHOOK_DEDUPE_RETENTION_HOURS },
        {
          provide: IntegrationLookup,
          useFactory: () => IntegrationLookup.overHttp({ baseUrl: env.INTEGRATION_CONFIG_URL, internalToken: env.INTERNAL_TOKEN, ttlMs: env.INTEGRATION_CACHE_TTL_MS }),
        },
        IngressCounterRepository,
        ReceiptWriter,
        ReceiveWebhookService,
        WebhookMetrics,
        WebhookSelfTestService,
        ReceiptRetentionService,
        ...outboxRelayProviders(schema),
      ],
    };
  }
}

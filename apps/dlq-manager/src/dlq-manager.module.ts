import { DynamicModule, Module } from '@nestjs/common';
import { IntegrationLookup } from '@incident-sync/integration-config-client';
import { MessagingModule } from '@incident-sync/messaging';
import { PersistenceModule } from '@incident-sync/persistence';
import { ServiceRuntimeModule } from '@incident-sync/service-runtime';
import { DeadLetterIngestService } from './dead-letter-ingest.service';
import { DeadLetterEntity } from './dead-letter.entity';
import { DeadLettersConsumer } from './dead-letters.consumer';
import { DeadLetterLister, DlqController, IntegrationDlqController } from './dlq.controller';
import { DlqManagerEnv } from './dlq-manager.env';
import { DlqMetrics } from './dlq-metrics';
import { DeadLetterReplay } from './dead-letter-replay.service';
import { DlqService } from './dlq.service';
import { InternalController } from './internal.controller';
import { Init1795733594105 } from './migrations/1795733594105-init';
import { OutboxSetAside1796000000000 } from './migrations/1796000000000-outbox-set-aside';

export const DLQ_MANAGER_SCHEMA = 'dlq_manager';
export const DLQ_MANAGER_CONSUMER_GROUP = 'dlq-manager';

/** Dead letters of every `*.dlq` topic: stored once, listed, inspected, replayed, discarded (ARCHITECTURE §1). */
/** This service's tables and their committed migrations (the drift test checks both). */
export const PERSISTED_ENTITIES = [DeadLetterEntity];
export const MIGRATIONS = [Init1795733594105, OutboxSetAside1796000000000];

@Module({})
export class DlqManagerModule {
  /** `schema` is overridden only by integration tests (one schema per test file). */
  static forRoot(env: DlqManagerEnv, options: { schema?: string } = {}): DynamicModule {
    const schema = options.schema ?? DLQ_MANAGER_SCHEMA;
    return {
      module: DlqManagerModule,
      imports: [
        ServiceRuntimeModule.forRoot({ service: 'dlq-manager', internalToken: env.INTERNAL_TOKEN, gatewayToken: env.GATEWAY_TOKEN, metricsEnabled: env.METRICS_ENABLED }),
        PersistenceModule.forRoot({ url: env.DATABASE_URL, schema, entities: PERSISTED_ENTITIES, migrations: MIGRATIONS }),
        MessagingModule.forRoot({ clientId: 'dlq-manager', brokers: env.KAFKA_BROKERS }),
      ],
      controllers: [DlqController, IntegrationDlqController, InternalController, DeadLettersConsumer],
      providers: [
        // No config-changed consumer here: only ids and slugs are read, and the short TTL bounds a rename's staleness.
        { provide: IntegrationLookup, useFactory: () => IntegrationLookup.overHttp({ baseUrl: env.INTEGRATION_CONFIG_URL, internalToken: env.INTERNAL_TOKEN, ttlMs: env.INTEGRATION_CACHE_TTL_MS }) },
        DeadLetterLister,
        DlqService,
        DeadLetterReplay,
        DeadLetterIngestService,
        DlqMetrics,
      ],
    };
  }
}

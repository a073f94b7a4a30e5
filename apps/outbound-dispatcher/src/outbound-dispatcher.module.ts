import { DynamicModule, Module } from '@nestjs/common';
import { IntegrationConfigChangedConsumer, IntegrationLookup } from '@incident-sync/integration-config-client';
import { MessagingModule, outboxRelayProviders } from '@incident-sync/messaging';
import { PersistenceModule } from '@incident-sync/persistence';
import { ServiceRuntimeModule } from '@incident-sync/service-runtime';
import { CommandIntakeService } from './command-intake.service';
import { CreatedIncidentEntity } from './created-incident.entity';
import { DATABASE_SCHEMA, DispatchRepository } from './dispatch.repository';
import { DispatchScheduler } from './dispatch-scheduler.service';
import { SharedBudgetHook } from './shared-budget.hook';
import { DISPATCH_SETTINGS, DispatchSettings } from './dispatch-settings';
import { DispatcherMetrics } from './dispatcher-metrics';
import { DispatcherStatsEntity } from './dispatcher-stats.entity';
import { DispatcherStatusController } from './dispatcher-status.controller';
import { IntegrationLeaseEntity } from './integration-lease.entity';
import { IntegrationLeaseRepository } from './integration-lease.repository';
import { PagerDutyClients } from './pagerduty-clients';
import { UnitDispatcher } from './unit-dispatch.service';
import { InitOutboundDispatcher1764197000000 } from './migrations/1764197000000-init-outbound-dispatcher';
import { ReplayIntakeAndFencedLease1764800000000 } from './migrations/1764800000000-replay-intake-and-fenced-lease';
import { OutboxSetAside1796000000000 } from './migrations/1796000000000-outbox-set-aside';
import { ParkedMessage1796000000000 } from './migrations/1796000000000-parked-message';
import { PagerDutyBudget1796000000001 } from './migrations/1796000000001-pagerduty-budget';
import { OutboundDispatcherEnv } from './outbound-dispatcher.env';
import { PagerDutyCommandsConsumer } from './pagerduty-commands.consumer';
import { PendingCommandEntity } from './pending-command.entity';

/** This service's tables and their committed migrations (the drift test checks both). */
export const PERSISTED_ENTITIES = [PendingCommandEntity, CreatedIncidentEntity, DispatcherStatsEntity, IntegrationLeaseEntity];
export const MIGRATIONS = [InitOutboundDispatcher1764197000000, ReplayIntakeAndFencedLease1764800000000, OutboxSetAside1796000000000, ParkedMessage1796000000000, PagerDutyBudget1796000000001];

@Module({})
export class OutboundDispatcherModule {
  static forRoot(env: OutboundDispatcherEnv): DynamicModule {
    const schema = env.DATABASE_SCHEMA;
    const settings: DispatchSettings = {
      parkLimitMs: env.DISPATCH_PARK_LIMIT_MS,
      backoffBaseMs: env.DISPATCH_BACKOFF_BASE_MS,
      backoffMaxMs: env.DISPATCH_BACKOFF_MAX_MS,
      requestTimeoutMs: env.DISPATCH_REQUEST_TIMEOUT_MS,
      pollMs: env.DISPATCH_POLL_MS,
      leaseMs: env.DISPATCH_LEASE_MS,
      retentionDays: env.DISPATCH_RETENTION_DAYS,
      consumerGroup: env.KAFKA_GROUP_ID,
    };
    return {
      module: OutboundDispatcherModule,
      imports: [
        ServiceRuntimeModule.forRoot({ service: 'outbound-dispatcher', internalToken: env.INTERNAL_TOKEN, gatewayToken: env.GATEWAY_TOKEN, metricsEnabled: env.METRICS_ENABLED }),
        PersistenceModule.forRoot({
          url: env.DATABASE_URL,
          schema,
          entities: PERSISTED_ENTITIES,
          migrations: MIGRATIONS,
        }),
        MessagingModule.forRoot({ clientId: 'outbound-dispatcher', brokers: env.KAFKA_BROKERS }),
      ],
      controllers: [PagerDutyCommandsConsumer, IntegrationConfigChangedConsumer, DispatcherStatusController],
      providers: [
        { provide: DATABASE_SCHEMA, useValue: schema },
        { provide: DISPATCH_SETTINGS, useValue: settings },
        {
          provide: IntegrationLookup,
          useFactory: () => IntegrationLookup.overHttp({ baseUrl: env.INTEGRATION_CONFIG_URL, internalToken: env.INTERNAL_TOKEN, ttlMs: env.INTEGRATION_CACHE_TTL_MS }),
        },
        DispatchRepository,
        DispatcherMetrics,
        IntegrationLeaseRepository,
        PagerDutyClients,
        UnitDispatcher,
        DispatchScheduler,
        SharedBudgetHook,
        CommandIntakeService,
        ...outboxRelayProviders(schema),
      ],
    };
  }
}

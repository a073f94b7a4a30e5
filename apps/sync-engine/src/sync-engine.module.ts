import { DynamicModule, Module } from '@nestjs/common';
import { INTEGRATION_CHANGE_LISTENERS, IntegrationChangeListener, IntegrationConfigChangedConsumer, IntegrationLookup } from '@incident-sync/integration-config-client';
import { MessageConsumer, MessagingModule, outboxRelayProviders } from '@incident-sync/messaging';
import { PersistenceModule, withSearchPath } from '@incident-sync/persistence';
import { ServiceRuntimeModule } from '@incident-sync/service-runtime';
import { CommandResultsService } from './command-results.service';
import { ConflictService } from './conflict.service';
import { DecisionCommitter } from './decision-committer.service';
import { InboundProgressEntity } from './inbound-progress.entity';
import { InboundSyncService } from './inbound-sync.service';
import { IncidentLinkEntity } from './incident-link.entity';
import { IncidentLinkRepository } from './incident-link.repository';
import { InitSyncEngine1764210000000 } from './migrations/1764210000000-init-sync-engine';
import { OutboxSetAside1796000000000 } from './migrations/1796000000000-outbox-set-aside';
import { ParkedMessage1796000000000 } from './migrations/1796000000000-parked-message';
import { PagerDutyBudget1796000000001 } from './migrations/1796000000001-pagerduty-budget';
import { Reconcile1797000000000 } from './migrations/1797000000000-reconcile';
import { ActivityIndexes1798000000000 } from './migrations/1798000000000-activity-indexes';
import { PagerDutyNote1798100000000 } from './migrations/1798100000000-pagerduty-note';
import { PagerDutyNoteRepository } from './pagerduty-note.repository';
import { BackfillOutbound1798200000000 } from './migrations/1798200000000-backfill-outbound';
import { Backfill1797100000000 } from './migrations/1797100000000-backfill';
import { WebhookSubscriptionHealth1797200000000 } from './migrations/1797200000000-webhook-subscription-health';
import { BackfillJobRepository } from './backfill-job.repository';
import { BackfillService } from './backfill.service';
import { WebhookSubscriptionHealth } from './webhook-subscription-health.service';
import { OutboundSyncService } from './outbound-sync.service';
import { OutboundWriteEntity } from './outbound-write.entity';
import { PagerDutyCommandResultsConsumer } from './pagerduty-command-results.consumer';
import { PagerDutyReads, PD_READ_MAX_WAIT_MS } from './pagerduty-reads.service';
import { PagerDutyWebhookConsumer } from './pagerduty-webhook.consumer';
import { PdUserEntity } from './pd-user.entity';
import { PeerOwnership } from './peer-ownership.service';
import { PlatformIncidentChangedConsumer } from './platform-incident-changed.consumer';
import { PriorityDirectory } from './priority-directory.service';
import { RECONCILE_TICK_MS, ReconcileScheduler } from './reconcile-scheduler.service';
import { ReconcileService } from './reconcile.service';
import { SyncConflictEntity } from './sync-conflict.entity';
import { SyncDecisionEntity } from './sync-decision.entity';
import { SyncMetrics } from './sync-metrics';
import { IntegrationSyncController, SyncController } from './sync-engine.controller';
import { HttpPlatformIncidentsApi, PLATFORM_INCIDENTS_API } from './platform-incidents.client';
import { OutboundBackfill } from './outbound-backfill.service';
import { SyncEngineEnv } from './sync-engine.env';
import { SIBLING_SERVICES, SyncQueryService } from './sync-query.service';
import { SyncActivityService } from './sync-activity.service';
import { UnknownUserEntity } from './unknown-user.entity';
import { PD_USER_CACHE_TTL_MS, UserDirectory } from './user-directory.service';

/** This service's tables and their committed migrations (the drift test checks both). */
export const PERSISTED_ENTITIES = [IncidentLinkEntity, SyncDecisionEntity, SyncConflictEntity, PdUserEntity, UnknownUserEntity, OutboundWriteEntity, InboundProgressEntity];
export const MIGRATIONS = [InitSyncEngine1764210000000, OutboxSetAside1796000000000, ParkedMessage1796000000000, PagerDutyBudget1796000000001, Reconcile1797000000000, Backfill1797100000000, WebhookSubscriptionHealth1797200000000, ActivityIndexes1798000000000, PagerDutyNote1798100000000, BackfillOutbound1798200000000];

@Module({})
export class SyncEngineModule {
  static forRoot(env: SyncEngineEnv): DynamicModule {
    const schema = env.DATABASE_SCHEMA;
    return {
      module: SyncEngineModule,
      imports: [
        ServiceRuntimeModule.forRoot({ service: 'sync-engine', internalToken: env.INTERNAL_TOKEN, gatewayToken: env.GATEWAY_TOKEN, metricsEnabled: env.METRICS_ENABLED }),
        PersistenceModule.forRoot({
          url: withSearchPath(env.DATABASE_URL, schema),
          schema,
          entities: PERSISTED_ENTITIES,
          migrations: MIGRATIONS,
        }),
        MessagingModule.forRoot({ clientId: 'sync-engine', brokers: env.KAFKA_BROKERS, parking: { maxParkedMs: env.PARKED_MAX_AGE_MS } }),
      ],
      controllers: [
        PagerDutyWebhookConsumer, PlatformIncidentChangedConsumer, PagerDutyCommandResultsConsumer, IntegrationConfigChangedConsumer,
        IntegrationSyncController, SyncController,
      ],
      providers: [
        { provide: IntegrationLookup, useFactory: () => IntegrationLookup.overHttp({ baseUrl: env.INTEGRATION_CONFIG_URL, internalToken: env.INTERNAL_TOKEN, ttlMs: env.INTEGRATION_CACHE_TTL_MS }) },
        // A changed integration may have a new token or account: its PagerDuty priorities are read again too.
        {
          provide: INTEGRATION_CHANGE_LISTENERS,
          useFactory: (priorities: PriorityDirectory, users: UserDirectory, consumer: MessageConsumer): IntegrationChangeListener[] => [
            (change) => priorities.invalidate(change.integrationId),
            (change) => users.invalidate(change.integrationId),
            // Enabled again (or any other change): what it parked while paused is retried now, in order.
            (change) => void consumer.wake(change.integrationId).catch(() => undefined),
          ],
          inject: [PriorityDirectory, UserDirectory, MessageConsumer],
        },
        { provide: PLATFORM_INCIDENTS_API, useFactory: () => new HttpPlatformIncidentsApi(env.INCIDENTS_URL, env.INTERNAL_TOKEN) },
        { provide: PD_USER_CACHE_TTL_MS, useValue: env.PD_USER_CACHE_TTL_MS },
        { provide: PD_READ_MAX_WAIT_MS, useValue: env.PD_READ_MAX_WAIT_MS },
        { provide: RECONCILE_TICK_MS, useValue: env.RECONCILE_TICK_MS },
        {
          provide: SIBLING_SERVICES,
          useValue: { outboundDispatcherUrl: env.OUTBOUND_DISPATCHER_URL, webhookIngressUrl: env.WEBHOOK_INGRESS_URL, dlqManagerUrl: env.DLQ_MANAGER_URL, internalToken: env.INTERNAL_TOKEN },
        },
        PagerDutyReads, UserDirectory, PriorityDirectory, IncidentLinkRepository, PagerDutyNoteRepository, DecisionCommitter, PeerOwnership,
        InboundSyncService, OutboundSyncService, CommandResultsService, ConflictService, SyncQueryService, SyncActivityService, SyncMetrics, ReconcileService, ReconcileScheduler, BackfillJobRepository, BackfillService, OutboundBackfill, WebhookSubscriptionHealth,
        ...outboxRelayProviders(schema),
      ],
    };
  }
}

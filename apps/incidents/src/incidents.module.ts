import { DynamicModule, Module } from '@nestjs/common';
import { MessagingModule, outboxRelayProviders } from '@incident-sync/messaging';
import { PersistenceModule, withSearchPath } from '@incident-sync/persistence';
import { ServiceRuntimeModule } from '@incident-sync/service-runtime';
import { ApplyIncidentCommandService } from './apply-incident-command.service';
import { IncidentChangeLog } from './incident-change-log.service';
import { COMMANDS_CONSUMER_GROUP, IncidentCommandsConsumer } from './incident-commands.consumer';
import { IncidentCounterEntity } from './incident-counter.entity';
import { IncidentEntity } from './incident.entity';
import { IncidentRepository } from './incident.repository';
import { IncidentService } from './incident.service';
import { IncidentsController } from './incidents.controller';
import { IncidentsEnv } from './incidents.env';
import { InternalController } from './internal.controller';
import { Init1795732605370 } from './migrations/1795732605370-init';
import { TimelineFkName1795733179163 } from './migrations/1795733179163-timeline-fk-name';
import { OutboxSetAside1796000000000 } from './migrations/1796000000000-outbox-set-aside';
import { ParkedMessage1796000000000 } from './migrations/1796000000000-parked-message';
import { TimelineEntryEntity } from './timeline-entry.entity';
import { TimelineRepository } from './timeline.repository';

export const INCIDENTS_SCHEMA = 'incidents';
export const INCIDENTS_CONSUMER_GROUP = 'incidents';

/** This service's tables and their committed migrations (the drift test checks both). */
export const PERSISTED_ENTITIES = [IncidentEntity, IncidentCounterEntity, TimelineEntryEntity];
export const MIGRATIONS = [Init1795732605370, TimelineFkName1795733179163, OutboxSetAside1796000000000, ParkedMessage1796000000000];

@Module({})
export class IncidentsModule {
  /**
   * `schema` is `incidents` and `consumerGroup` `incidents`; integration tests pass their own
   * so they never share tables or commands with a running service.
   */
  static forRoot(env: IncidentsEnv, options: { schema?: string; consumerGroup?: string } = {}): DynamicModule {
    const schema = options.schema ?? INCIDENTS_SCHEMA;
    return {
      module: IncidentsModule,
      imports: [
        ServiceRuntimeModule.forRoot({ service: 'incidents', internalToken: env.INTERNAL_TOKEN, gatewayToken: env.GATEWAY_TOKEN, metricsEnabled: env.METRICS_ENABLED }),
        PersistenceModule.forRoot({
          url: withSearchPath(env.DATABASE_URL, schema),
          schema,
          entities: PERSISTED_ENTITIES,
          migrations: MIGRATIONS,
        }),
        MessagingModule.forRoot({ clientId: 'incidents', brokers: env.KAFKA_BROKERS, parking: { maxParkedMs: env.PARKED_MAX_AGE_MS } }),
      ],
      controllers: [IncidentsController, InternalController, IncidentCommandsConsumer],
      providers: [
        { provide: COMMANDS_CONSUMER_GROUP, useValue: options.consumerGroup ?? INCIDENTS_CONSUMER_GROUP },
        IncidentRepository, TimelineRepository, IncidentChangeLog, IncidentService, ApplyIncidentCommandService, ...outboxRelayProviders(schema)],
    };
  }
}

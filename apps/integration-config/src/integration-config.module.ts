import { DynamicModule, Module } from '@nestjs/common';
import { MessagingModule, outboxRelayProviders } from '@incident-sync/messaging';
import { PersistenceModule, withSearchPath } from '@incident-sync/persistence';
import { ServiceRuntimeModule } from '@incident-sync/service-runtime';
import { ADMIN_API_KEY, ApiKeyService } from './api-key.service';
import { ApiKeysController, OrganizationsController } from './api-keys.controller';
import { BaseUrlPolicy } from './base-url.policy';
import { ConnectionTestService } from './connection-test.service';
import { ApiKeyEntity } from './entities/api-key.entity';
import { FieldOwnershipRuleEntity } from './entities/field-ownership-rule.entity';
import { IntegrationEntity } from './entities/integration.entity';
import { ServiceMappingEntity } from './entities/service-mapping.entity';
import { UserMappingEntity } from './entities/user-mapping.entity';
import { WebhookSecretEntity } from './entities/webhook-secret.entity';
import { IntegrationConfigEnv } from './integration-config.env';
import { IntegrationRulesController } from './integration-rules.controller';
import { IntegrationRulesService } from './integration-rules.service';
import { IntegrationRepository } from './integration.repository';
import { IntegrationService } from './integration.service';
import { IntegrationsController } from './integrations.controller';
import { InternalController } from './internal.controller';
import { Init1764194400000 } from './migrations/1764194400000-init';
import { OutboxSetAside1796000000000 } from './migrations/1796000000000-outbox-set-aside';
import { UnmappedServices1797000000000 } from './migrations/1797000000000-unmapped-services';
import { ReconcileSettings1797000000001 } from './migrations/1797000000001-reconcile-settings';
import { AuthoritativeOwnership1797100000000 } from './migrations/1797100000000-authoritative-ownership';
import { PagerDutyClientFactory } from './pagerduty-client.factory';
import { RuntimeConfigService } from './runtime-config.service';
import { SecretCipher } from './secret-cipher';
import { PUBLIC_BASE_URL } from './setup-guidance';
import { WebhookSubscriptionService } from './webhook-subscription.service';

export const SCHEMA = 'integration_config';
export const ENTITIES = [IntegrationEntity, WebhookSecretEntity, FieldOwnershipRuleEntity, ServiceMappingEntity, UserMappingEntity, ApiKeyEntity];

/** Integrations, their secrets, rules and mappings, and API keys (ARCHITECTURE §1). */
/** This service's tables and their committed migrations (the drift test checks both). */
export const PERSISTED_ENTITIES = ENTITIES;
export const MIGRATIONS = [Init1764194400000, OutboxSetAside1796000000000, UnmappedServices1797000000000, ReconcileSettings1797000000001, AuthoritativeOwnership1797100000000];

@Module({})
export class IntegrationConfigModule {
  /** `schema` is overridden only by integration tests (one schema per test file). */
  static forRoot(env: IntegrationConfigEnv, options: { schema?: string } = {}): DynamicModule {
    const schema = options.schema ?? SCHEMA;
    return {
      module: IntegrationConfigModule,
      imports: [
        ServiceRuntimeModule.forRoot({ service: 'integration-config', internalToken: env.INTERNAL_TOKEN, gatewayToken: env.GATEWAY_TOKEN, metricsEnabled: env.METRICS_ENABLED }),
        PersistenceModule.forRoot({ url: withSearchPath(env.DATABASE_URL, schema), schema, entities: PERSISTED_ENTITIES, migrations: MIGRATIONS }),
        MessagingModule.forRoot({ clientId: 'integration-config', brokers: env.KAFKA_BROKERS }),
      ],
      controllers: [IntegrationsController, IntegrationRulesController, ApiKeysController, OrganizationsController, InternalController],
      providers: [
        { provide: SecretCipher, useValue: new SecretCipher(env.ENCRYPTION_KEY) },
        { provide: BaseUrlPolicy, useValue: new BaseUrlPolicy({ allowList: env.BASE_URL_ALLOW_LIST, allowLocal: env.ALLOW_LOCAL_BASE_URLS, httpOrigins: env.BASE_URL_HTTP_ALLOW_LIST }) },
        { provide: ADMIN_API_KEY, useValue: env.ADMIN_API_KEY },
        { provide: PUBLIC_BASE_URL, useValue: env.PUBLIC_BASE_URL },
        IntegrationRepository,
        IntegrationService,
        IntegrationRulesService,
        RuntimeConfigService,
        PagerDutyClientFactory,
        ConnectionTestService,
        WebhookSubscriptionService,
        ApiKeyService,
        ...outboxRelayProviders(schema),
      ],
    };
  }
}

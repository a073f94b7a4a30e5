import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { AppError, Topic } from '@incident-sync/contracts';
import { addToOutbox } from '@incident-sync/persistence';
import { RequestContext } from '@incident-sync/service-runtime';
import { BaseUrlPolicy } from './base-url.policy';
import { CreateIntegrationDto, ListIntegrationsQuery, UpdateIntegrationDto } from './dto/integration.dto';
import { IntegrationEntity } from './entities/integration.entity';
import { WebhookSecretEntity } from './entities/webhook-secret.entity';
import { IntegrationRepository } from './integration.repository';
import { DEFAULT_PRIORITY_MAPPING, DEFAULTS } from './integration.values';
import { integrationView, IntegrationView } from './integration.view';
import { organizationOf } from './organization-scope';
import { last4, SecretCipher } from './secret-cipher';
import { ServiceMappingEntity } from './entities/service-mapping.entity';
import { PUBLIC_BASE_URL, setupGuidance, webhookUrlOf } from './setup-guidance';

export const tokenContext = (integrationId: string): string => `integration:${integrationId}:token`;
export const webhookSecretContext = (integrationId: string, secretId: string): string => `integration:${integrationId}:webhook-secret:${secretId}`;

/** "Production PagerDuty" → "production-pagerduty". */
export function slugFromName(name: string): string {
  const slug = name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64).replace(/-+$/, '');
  return slug || 'integration';
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505';
}

/**
 * Integrations: create, read, update, delete. Every change bumps the version and adds
 * integration.config.changed.v1 to the outbox in the SAME transaction, so other services
 * learn of every committed change (and of nothing that rolled back).
 */
@Injectable()
export class IntegrationService {
  private readonly logger = new Logger(IntegrationService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly integrations: IntegrationRepository,
    private readonly cipher: SecretCipher,
    private readonly baseUrls: BaseUrlPolicy,
    @Inject(PUBLIC_BASE_URL) readonly publicBaseUrl: string,
  ) {}

  async create(caller: RequestContext, dto: CreateIntegrationDto): Promise<IntegrationView> {
    const organizationId = organizationOf(caller, dto.organization_id);
    const token = dto.credentials?.token;
    if (!token) throw AppError.validation('credentials.token', 'credentials.token is required (the PagerDuty REST API token)');
    const baseUrl = this.baseUrls.check(dto.base_url);
    const id = randomUUID();
    const now = new Date();
    const entity: IntegrationEntity = {
      id,
      organizationId,
      slug: dto.slug ?? slugFromName(dto.name),
      name: dto.name.trim(),
      integrationType: dto.integration_type,
      baseUrl,
      tokenCiphertext: this.cipher.encrypt(token, tokenContext(id)),
      tokenLast4: last4(token),
      syncDirection: dto.sync_direction ?? DEFAULTS.syncDirection,
      enabled: dto.enabled ?? DEFAULTS.enabled,
      conflictStrategy: dto.conflict_strategy ?? DEFAULTS.conflictStrategy,
      syncEscalations: dto.sync_escalations ?? DEFAULTS.syncEscalations,
      rateLimit: dto.rate_limit ?? DEFAULTS.rateLimitPerMinute,
      backoffMultiplier: dto.backoff_multiplier ?? DEFAULTS.backoffMultiplier,
      reconcileIntervalSeconds: dto.reconcile_interval_seconds ?? DEFAULTS.reconcileIntervalSeconds,
      reconcileBudgetPercent: dto.reconcile_budget_percent ?? DEFAULTS.reconcileBudgetPercent,
      fromEmail: dto.from_email ?? null,
      botUserId: null,
      defaultServiceId: dto.default_service_id ?? null,
      priorityMapping: dto.priority_mapping ?? { ...DEFAULT_PRIORITY_MAPPING },
      unmappedServices: dto.unmapped_services ?? DEFAULTS.unmappedServices,
      defaultIncidentType: dto.default_incident_type?.trim() ?? null,
      webhookSubscriptionId: null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    try {
      return await this.dataSource.transaction(async (em) => {
        await em.insert(IntegrationEntity, entity);
        const secrets: WebhookSecretEntity[] = [];
        if (dto.webhook_secret) secrets.push(await this.insertWebhookSecret(em, id, dto.webhook_secret));
        await this.publishChange(em, entity, 'created');
        this.logger.log({ msg: 'integration created', integrationId: id, slug: entity.slug, organizationId });
        return integrationView(entity, secrets);
      }).then((view) => this.guided(entity, view));
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError('CONFLICT', `an integration with slug ${entity.slug} already exists in this organization`, 'slug');
      throw error;
    }
  }

  async list(caller: RequestContext, query: ListIntegrationsQuery): Promise<{ data: IntegrationView[] }> {
    const organizationId = organizationOf(caller, query.organization_id);
    const manager = this.dataSource.manager;
    const rows = await this.integrations.listInOrg(manager, organizationId, query.integration_type);
    const secrets = await this.integrations.secretsOf(manager, rows.map((r) => r.id));
    return { data: rows.map((r) => ({ ...integrationView(r, secrets.filter((s) => s.integrationId === r.id)), webhook_url: webhookUrlOf(this.publicBaseUrl, r.id) })) };
  }

  async get(caller: RequestContext, ref: string): Promise<IntegrationView> {
    const manager = this.dataSource.manager;
    const entity = await this.integrations.findInOrg(manager, organizationOf(caller), ref);
    return this.guided(entity, integrationView(entity, await this.integrations.secretsOf(manager, [entity.id])));
  }

  async update(caller: RequestContext, ref: string, dto: UpdateIntegrationDto): Promise<IntegrationView> {
    const baseUrl = dto.base_url !== undefined ? this.baseUrls.check(dto.base_url) : undefined;
    try {
      const entity = await this.mutate(caller, ref, async (_em, i) => {
        if (dto.name !== undefined) i.name = dto.name.trim();
        if (dto.slug !== undefined) i.slug = dto.slug;
        if (baseUrl !== undefined) i.baseUrl = baseUrl;
        if (dto.credentials?.token !== undefined) {
          i.tokenCiphertext = this.cipher.encrypt(dto.credentials.token, tokenContext(i.id));
          i.tokenLast4 = last4(dto.credentials.token);
        }
        if (dto.sync_direction !== undefined) i.syncDirection = dto.sync_direction;
        if (dto.enabled !== undefined) i.enabled = dto.enabled;
        if (dto.conflict_strategy !== undefined) i.conflictStrategy = dto.conflict_strategy;
        if (dto.sync_escalations !== undefined) i.syncEscalations = dto.sync_escalations;
        if (dto.rate_limit !== undefined) i.rateLimit = dto.rate_limit;
        if (dto.backoff_multiplier !== undefined) i.backoffMultiplier = dto.backoff_multiplier;
        if (dto.reconcile_interval_seconds !== undefined) i.reconcileIntervalSeconds = dto.reconcile_interval_seconds;
        if (dto.reconcile_budget_percent !== undefined) i.reconcileBudgetPercent = dto.reconcile_budget_percent;
        if (dto.from_email !== undefined) {
          if (dto.from_email !== i.fromEmail) i.botUserId = null;
          i.fromEmail = dto.from_email;
        }
        if (dto.default_service_id !== undefined) i.defaultServiceId = dto.default_service_id;
        if (dto.priority_mapping !== undefined) i.priorityMapping = dto.priority_mapping;
        if (dto.unmapped_services !== undefined) i.unmappedServices = dto.unmapped_services;
        if (dto.default_incident_type !== undefined) i.defaultIncidentType = dto.default_incident_type?.trim() ?? null;
      });
      return await this.guided(entity, integrationView(entity, await this.integrations.secretsOf(this.dataSource.manager, [entity.id])));
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError('CONFLICT', `an integration with slug ${dto.slug ?? ''} already exists in this organization`, 'slug');
      throw error;
    }
  }

  /** The view with the webhook URL to paste into PagerDuty and what is still missing (setupGuidance). */
  private async guided(entity: IntegrationEntity, view: IntegrationView): Promise<IntegrationView> {
    const serviceMappings = await this.dataSource.manager.countBy(ServiceMappingEntity, { integrationId: entity.id });
    const guidance = setupGuidance(entity, { webhookSecrets: view.webhook_secrets.length, serviceMappings }, this.publicBaseUrl);
    return { ...view, ...guidance };
  }

  async delete(caller: RequestContext, ref: string): Promise<void> {
    const organizationId = organizationOf(caller);
    await this.dataSource.transaction(async (em) => {
      const entity = await this.integrations.findInOrg(em, organizationId, ref, { lock: true });
      await em.delete(IntegrationEntity, { id: entity.id });
      entity.version += 1;
      await this.publishChange(em, entity, 'deleted');
      this.logger.log({ msg: 'integration deleted', integrationId: entity.id, slug: entity.slug, organizationId: entity.organizationId });
    });
  }

  /**
   * Runs `change` on the locked integration inside a transaction, then bumps its version
   * and publishes integration.config.changed. Used for the integration's own settings and
   * for its rules and mappings (part of what services read), so every change is announced.
   */
  async mutate<T = void>(caller: RequestContext, ref: string, change: (em: EntityManager, integration: IntegrationEntity) => Promise<T>): Promise<IntegrationEntity & { result: T }> {
    const organizationId = organizationOf(caller);
    return this.dataSource.transaction(async (em) => {
      const entity = await this.integrations.findInOrg(em, organizationId, ref, { lock: true });
      const result = await change(em, entity);
      entity.version += 1;
      entity.updatedAt = new Date();
      await em.save(IntegrationEntity, entity);
      await this.publishChange(em, entity, 'updated');
      return Object.assign(entity, { result });
    });
  }

  /** Read-only access within the caller's organization (404 otherwise). */
  async find(caller: RequestContext, ref: string): Promise<IntegrationEntity> {
    return this.integrations.findInOrg(this.dataSource.manager, organizationOf(caller), ref);
  }

  webhookSecretCount(integrationId: string): Promise<number> {
    return this.dataSource.manager.countBy(WebhookSecretEntity, { integrationId });
  }

  decryptToken(integration: IntegrationEntity): string {
    return this.cipher.decrypt(integration.tokenCiphertext, tokenContext(integration.id));
  }

  async insertWebhookSecret(em: EntityManager, integrationId: string, secret: string): Promise<WebhookSecretEntity> {
    const id = randomUUID();
    const row: WebhookSecretEntity = {
      id,
      integrationId,
      ciphertext: this.cipher.encrypt(secret, webhookSecretContext(integrationId, id)),
      last4: last4(secret),
      createdAt: new Date(),
    };
    await em.insert(WebhookSecretEntity, row);
    return row;
  }

  private async publishChange(em: EntityManager, entity: IntegrationEntity, change: 'created' | 'updated' | 'deleted'): Promise<void> {
    await addToOutbox(em, Topic.IntegrationConfigChanged, {
      eventId: randomUUID(),
      integrationId: entity.id,
      organizationId: entity.organizationId,
      change,
      version: entity.version,
      occurredAt: new Date().toISOString(),
    });
  }
}

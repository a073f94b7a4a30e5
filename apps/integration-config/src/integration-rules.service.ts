import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppError, isUuid } from '@incident-sync/contracts';
import { RequestContext } from '@incident-sync/service-runtime';
import { AddServiceMappingDto, AddUserMappingDto, SetFieldOwnershipDto } from './dto/integration-rules.dto';
import { FieldOwnershipRuleEntity } from './entities/field-ownership-rule.entity';
import { ServiceMappingEntity } from './entities/service-mapping.entity';
import { UserMappingEntity } from './entities/user-mapping.entity';
import { WebhookSecretEntity } from './entities/webhook-secret.entity';
import { IntegrationEntity } from './entities/integration.entity';
import { IntegrationService } from './integration.service';
import { DEFAULT_FIELD_OWNERSHIP, SYNC_FIELDS, SyncField } from './integration.values';
import {
  effectiveFieldOwnership, FieldOwnershipView, serviceMappingView, userMappingView, webhookSecretView, WebhookSecretView,
} from './integration.view';

type ServiceMappingView = ReturnType<typeof serviceMappingView>;
type UserMappingView = ReturnType<typeof userMappingView>;

function syncField(field: string): SyncField {
  if (!(SYNC_FIELDS as readonly string[]).includes(field)) {
    throw AppError.validation('field', `field must be one of: ${SYNC_FIELDS.join(', ')}`);
  }
  return field as SyncField;
}

/** Why a saved ownership rule has no effect yet, with the command that gives it one. */
function ruleWarnings(integration: IntegrationEntity, field: SyncField): string[] {
  if (field === 'escalation_policy' && !integration.syncEscalations) {
    return [`escalation_policy is not synced while sync_escalations is false, so this rule has no effect yet; enable it: im integration configure ${integration.slug} --sync-escalations true`];
  }
  return [];
}

/**
 * Per-integration rules and mappings: field ownership, service mappings, user mappings and
 * webhook signing secrets. Each change goes through IntegrationService.mutate, so it bumps
 * the integration's version and is announced on integration.config.changed.
 */
@Injectable()
export class IntegrationRulesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource, private readonly integrations: IntegrationService) {}

  // --- field ownership ---------------------------------------------------------------
  async listFieldOwnership(caller: RequestContext, ref: string): Promise<{ data: FieldOwnershipView[] }> {
    const integration = await this.integrations.find(caller, ref);
    const rules = await this.dataSource.manager.findBy(FieldOwnershipRuleEntity, { integrationId: integration.id });
    return { data: effectiveFieldOwnership(rules) };
  }

  /** Saves the rule; `warnings` says when it cannot take effect yet and which command enables it. */
  async setFieldOwnership(caller: RequestContext, ref: string, rawField: string, dto: SetFieldOwnershipDto): Promise<FieldOwnershipView & { warnings?: string[] }> {
    const field = syncField(rawField);
    const { result } = await this.integrations.mutate(caller, ref, async (em, integration) => {
      const existing = await em.findOneBy(FieldOwnershipRuleEntity, { integrationId: integration.id, field });
      const rule: FieldOwnershipRuleEntity = {
        integrationId: integration.id,
        field,
        owner: dto.owner,
        priority: dto.priority ?? existing?.priority ?? DEFAULT_FIELD_OWNERSHIP[field].priority,
        authoritative: dto.authoritative ?? existing?.authoritative ?? false,
        updatedAt: new Date(),
      };
      await em.upsert(FieldOwnershipRuleEntity, rule, ['integrationId', 'field']);
      return { rule, warnings: ruleWarnings(integration, field) };
    });
    const view = { field: result.rule.field, owner: result.rule.owner, priority: result.rule.priority, authoritative: result.rule.authoritative, is_default: false };
    return result.warnings.length > 0 ? { ...view, warnings: result.warnings } : view;
  }

  /** Removes the explicit rule: the field goes back to its default owner. */
  async deleteFieldOwnership(caller: RequestContext, ref: string, rawField: string): Promise<void> {
    const field = syncField(rawField);
    await this.integrations.mutate(caller, ref, async (em, integration) => {
      const deleted = await em.delete(FieldOwnershipRuleEntity, { integrationId: integration.id, field });
      if (!deleted.affected) throw AppError.notFound(`field ownership rule for ${field} (it already uses the default)`);
    });
  }

  // --- service mappings --------------------------------------------------------------
  async listServiceMappings(caller: RequestContext, ref: string): Promise<{ data: ServiceMappingView[] }> {
    const integration = await this.integrations.find(caller, ref);
    const rows = await this.dataSource.manager.find(ServiceMappingEntity, { where: { integrationId: integration.id }, order: { pdServiceId: 'ASC' } });
    return { data: rows.map(serviceMappingView) };
  }

  /** Adds or replaces the mapping of one PagerDuty service (a service maps to one type). */
  async addServiceMapping(caller: RequestContext, ref: string, dto: AddServiceMappingDto): Promise<ServiceMappingView> {
    const { result } = await this.integrations.mutate(caller, ref, async (em, integration) => {
      const row: ServiceMappingEntity = { integrationId: integration.id, pdServiceId: dto.pd_service_id, incidentType: dto.incident_type.trim(), createdAt: new Date() };
      await em.upsert(ServiceMappingEntity, row, ['integrationId', 'pdServiceId']);
      return row;
    });
    return serviceMappingView(result);
  }

  async removeServiceMapping(caller: RequestContext, ref: string, pdServiceId: string): Promise<void> {
    await this.integrations.mutate(caller, ref, async (em, integration) => {
      const deleted = await em.delete(ServiceMappingEntity, { integrationId: integration.id, pdServiceId });
      if (!deleted.affected) throw AppError.notFound(`service mapping for PagerDuty service ${pdServiceId}`);
    });
  }

  // --- user mappings -----------------------------------------------------------------
  async listUserMappings(caller: RequestContext, ref: string): Promise<{ data: UserMappingView[] }> {
    const integration = await this.integrations.find(caller, ref);
    const rows = await this.dataSource.manager.find(UserMappingEntity, { where: { integrationId: integration.id }, order: { email: 'ASC' } });
    return { data: rows.map(userMappingView) };
  }

  async addUserMapping(caller: RequestContext, ref: string, dto: AddUserMappingDto): Promise<UserMappingView> {
    const { result } = await this.integrations.mutate(caller, ref, async (em, integration) => {
      const row: UserMappingEntity = { integrationId: integration.id, email: dto.email.toLowerCase(), pdUserId: dto.pd_user_id, createdAt: new Date() };
      await em.upsert(UserMappingEntity, row, ['integrationId', 'email']);
      return row;
    });
    return userMappingView(result);
  }

  async removeUserMapping(caller: RequestContext, ref: string, email: string): Promise<void> {
    await this.integrations.mutate(caller, ref, async (em, integration) => {
      const deleted = await em.delete(UserMappingEntity, { integrationId: integration.id, email: email.toLowerCase() });
      if (!deleted.affected) throw AppError.notFound(`user mapping for ${email}`);
    });
  }

  // --- webhook signing secrets -------------------------------------------------------
  async listWebhookSecrets(caller: RequestContext, ref: string): Promise<{ data: WebhookSecretView[] }> {
    const integration = await this.integrations.find(caller, ref);
    const rows = await this.dataSource.manager.find(WebhookSecretEntity, { where: { integrationId: integration.id }, order: { createdAt: 'DESC' } });
    return { data: rows.map(webhookSecretView) };
  }

  async addWebhookSecret(caller: RequestContext, ref: string, secret: string): Promise<WebhookSecretView> {
    const { result } = await this.integrations.mutate(caller, ref, (em, integration) => this.integrations.insertWebhookSecret(em, integration.id, secret));
    return webhookSecretView(result);
  }

  async removeWebhookSecret(caller: RequestContext, ref: string, secretId: string): Promise<void> {
    await this.integrations.mutate(caller, ref, async (em, integration) => {
      const deleted = isUuid(secretId) ? await em.delete(WebhookSecretEntity, { integrationId: integration.id, id: secretId }) : { affected: 0 };
      if (!deleted.affected) throw AppError.notFound(`webhook secret ${secretId}`);
    });
  }
}

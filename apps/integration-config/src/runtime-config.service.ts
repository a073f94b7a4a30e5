import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { AppError } from '@incident-sync/contracts';
import { isUuid, type IntegrationRuntimeConfig, type IntegrationSummary } from '@incident-sync/integration-config-client';
import { FieldOwnershipRuleEntity } from './entities/field-ownership-rule.entity';
import { IntegrationEntity } from './entities/integration.entity';
import { ServiceMappingEntity } from './entities/service-mapping.entity';
import { UserMappingEntity } from './entities/user-mapping.entity';
import { IntegrationRepository } from './integration.repository';
import { tokenContext, webhookSecretContext } from './integration.service';
import { effectiveFieldOwnership } from './integration.view';
import { SecretCipher } from './secret-cipher';

/**
 * What other services read on the internal API (IntegrationLookup). Only an exact lookup of
 * ONE integration (by id, or by id or slug within an organization) returns it with its secrets
 * DECRYPTED; the per-organization list is summaries without any secret, and there is no list
 * across organizations. Reachable only with the internal token.
 */
@Injectable()
export class RuntimeConfigService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly integrations: IntegrationRepository,
    private readonly cipher: SecretCipher,
  ) {}

  async get(id: string): Promise<IntegrationRuntimeConfig> {
    const entity = isUuid(id) ? await this.dataSource.manager.findOneBy(IntegrationEntity, { id: id.toLowerCase() }) : null;
    if (!entity) throw AppError.notFound(`integration ${id}`);
    const [config] = await this.build([entity]);
    if (!config) throw AppError.notFound(`integration ${id}`);
    return config;
  }

  /** `ref` = id or slug, in this organization only: another organization's is a 404. */
  async getInOrganization(organizationId: string, ref: string): Promise<IntegrationRuntimeConfig> {
    const entity = await this.integrations.findInOrg(this.dataSource.manager, organizationId, ref);
    const [config] = await this.build([entity]);
    if (!config) throw AppError.notFound(`integration ${ref}`);
    return config;
  }

  /** Which integrations an organization has: no token, no webhook secret, nothing decrypted. */
  async summaries(organizationId: string): Promise<{ data: IntegrationSummary[] }> {
    const rows = await this.integrations.listInOrg(this.dataSource.manager, organizationId);
    return {
      data: rows.map((i) => ({
        id: i.id,
        organizationId: i.organizationId,
        slug: i.slug,
        name: i.name,
        type: i.integrationType,
        syncDirection: i.syncDirection,
        enabled: i.enabled,
        version: i.version,
        updatedAt: i.updatedAt.toISOString(),
      })),
    };
  }

  private async build(rows: IntegrationEntity[]): Promise<IntegrationRuntimeConfig[]> {
    if (rows.length === 0) return [];
    const manager = this.dataSource.manager;
    const ids = rows.map((r) => r.id);
    const [secrets, rules, services, users] = await Promise.all([
      this.integrations.secretsOf(manager, ids),
      manager.findBy(FieldOwnershipRuleEntity, { integrationId: In(ids) }),
      manager.find(ServiceMappingEntity, { where: { integrationId: In(ids) }, order: { pdServiceId: 'ASC' } }),
      manager.find(UserMappingEntity, { where: { integrationId: In(ids) }, order: { email: 'ASC' } }),
    ]);
    return rows.map((i) => ({
      id: i.id,
      organizationId: i.organizationId,
      slug: i.slug,
      name: i.name,
      type: i.integrationType,
      baseUrl: i.baseUrl,
      token: this.cipher.decrypt(i.tokenCiphertext, tokenContext(i.id)),
      // Newest first (secretsOf orders by created_at DESC).
      webhookSecrets: secrets.filter((s) => s.integrationId === i.id).map((s) => this.cipher.decrypt(s.ciphertext, webhookSecretContext(i.id, s.id))),
      fromEmail: i.fromEmail,
      botUserId: i.botUserId,
      syncDirection: i.syncDirection,
      enabled: i.enabled,
      conflictStrategy: i.conflictStrategy,
      syncEscalations: i.syncEscalations,
      rateLimitPerMinute: i.rateLimit,
      backoffMultiplier: i.backoffMultiplier,
      reconcileIntervalSeconds: i.reconcileIntervalSeconds,
      reconcileBudgetPercent: i.reconcileBudgetPercent,
      priorityMapping: i.priorityMapping,
      defaultServiceId: i.defaultServiceId,
      unmappedServices: i.unmappedServices,
      defaultIncidentType: i.defaultIncidentType,
      fieldOwnership: effectiveFieldOwnership(rules.filter((r) => r.integrationId === i.id)).map((r) => ({ field: r.field, owner: r.owner, priority: r.priority, authoritative: r.authoritative })),
      serviceMappings: services.filter((s) => s.integrationId === i.id).map((s) => ({ pdServiceId: s.pdServiceId, incidentType: s.incidentType })),
      userMappings: users.filter((u) => u.integrationId === i.id).map((u) => ({ email: u.email, pdUserId: u.pdUserId })),
      version: i.version,
      updatedAt: i.updatedAt.toISOString(),
    }));
  }
}

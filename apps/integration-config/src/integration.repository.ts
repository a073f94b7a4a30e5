import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { integrationNotFound, isUuid } from '@incident-sync/integration-config-client';
import { IntegrationEntity } from './entities/integration.entity';
import { WebhookSecretEntity } from './entities/webhook-secret.entity';

/**
 * Integrations by id or slug, always within one organization: another organization's
 * integration is indistinguishable from a missing one (404, never 403). A 404 names the
 * caller's organization's integrations and the closest one (integrationNotFound).
 */
@Injectable()
export class IntegrationRepository {
  async findInOrg(manager: EntityManager, organizationId: string, ref: string, options: { lock?: boolean } = {}): Promise<IntegrationEntity> {
    const query = manager
      .createQueryBuilder(IntegrationEntity, 'i')
      .where('i.organization_id = :org', { org: organizationId })
      // A uuid-shaped ref may be an id or (unusually) a slug; anything else is only a slug.
      .andWhere(isUuid(ref) ? '(i.id = :id OR i.slug = :slug)' : 'i.slug = :slug', { id: ref.toLowerCase(), slug: ref });
    if (options.lock) query.setLock('pessimistic_write');
    const found = await query.getOne();
    if (!found) throw integrationNotFound(ref, await this.listInOrg(manager, organizationId));
    return found;
  }

  listInOrg(manager: EntityManager, organizationId: string | null, type?: string): Promise<IntegrationEntity[]> {
    const query = manager.createQueryBuilder(IntegrationEntity, 'i').orderBy('i.created_at', 'ASC').addOrderBy('i.id', 'ASC');
    if (organizationId !== null) query.andWhere('i.organization_id = :org', { org: organizationId });
    if (type) query.andWhere('i.integration_type = :type', { type });
    return query.getMany();
  }

  secretsOf(manager: EntityManager, integrationIds: string[]): Promise<WebhookSecretEntity[]> {
    if (integrationIds.length === 0) return Promise.resolve([]);
    return manager
      .createQueryBuilder(WebhookSecretEntity, 's')
      .where('s.integration_id IN (:...ids)', { ids: integrationIds })
      .orderBy('s.created_at', 'DESC')
      .addOrderBy('s.id', 'DESC')
      .getMany();
  }
}

import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { IncidentLinkEntity } from './incident-link.entity';

/**
 * Link rows, always read with `FOR UPDATE` inside the handler's transaction: inbound,
 * outbound, results and operator decisions about one link serialise on the row.
 */
@Injectable()
export class IncidentLinkRepository {
  lockByPlatformIncident(em: EntityManager, integrationId: string, platformIncidentId: string): Promise<IncidentLinkEntity | null> {
    return em.getRepository(IncidentLinkEntity).findOne({ where: { integrationId, platformIncidentId }, lock: { mode: 'pessimistic_write' } });
  }

  lockByPagerDutyIncident(em: EntityManager, integrationId: string, pdIncidentId: string): Promise<IncidentLinkEntity | null> {
    return em.getRepository(IncidentLinkEntity).findOne({ where: { integrationId, pdIncidentId }, lock: { mode: 'pessimistic_write' } });
  }

  lockById(em: EntityManager, id: string): Promise<IncidentLinkEntity | null> {
    return em.getRepository(IncidentLinkEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async insert(em: EntityManager, link: IncidentLinkEntity): Promise<void> {
    await em.getRepository(IncidentLinkEntity).insert(link);
  }

  async save(em: EntityManager, link: IncidentLinkEntity): Promise<void> {
    await em.getRepository(IncidentLinkEntity).update(
      { id: link.id },
      {
        state: link.state,
        pdIncidentId: link.pdIncidentId,
        pdIncidentNumber: link.pdIncidentNumber,
        pdHtmlUrl: link.pdHtmlUrl,
        lastSyncedAt: link.lastSyncedAt,
        lastDirection: link.lastDirection,
      },
    );
  }
}

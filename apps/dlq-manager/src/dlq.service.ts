import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError, isUuid } from '@incident-sync/contracts';
import { DeadLetterFilter, DeadLetterScope, scopedDeadLetters } from './dead-letter-filter';
import { DeadLetterEntity } from './dead-letter.entity';


/** List, inspect and discard dead letters within the caller's scope (replay: dead-letter-replay.service.ts). */
@Injectable()
export class DlqService {
  private readonly logger = new Logger(DlqService.name);

  constructor(private readonly dataSource: DataSource) {}

  async list(scope: DeadLetterScope, filter: DeadLetterFilter, page: { limit: number; offset: number }): Promise<{ rows: DeadLetterEntity[]; total: number }> {
    const [rows, total] = await scopedDeadLetters(this.dataSource.manager, scope, filter)
      .orderBy('d.created_at', 'DESC')
      .addOrderBy('d.id', 'DESC')
      .skip(page.offset)
      .take(page.limit)
      .getManyAndCount();
    return { rows, total };
  }

  /** Whether the scope holds any dead letter of this integration (one that may no longer exist). */
  async holdsIntegration(scope: DeadLetterScope, integrationId: string): Promise<boolean> {
    return (await scopedDeadLetters(this.dataSource.manager, scope, { integrationId }).select('d.id').limit(1).getRawOne()) !== undefined;
  }

  async get(scope: DeadLetterScope, id: string): Promise<DeadLetterEntity> {
    if (!isUuid(id)) throw AppError.notFound(`dead letter ${id}`);
    const found = await scopedDeadLetters(this.dataSource.manager, scope, { ids: [id] }).getOne();
    if (!found) throw AppError.notFound(`dead letter ${id}`);
    return found;
  }

  /** Marks it discarded (kept for the record; nothing is deleted). Discarding twice is a no-op. */
  async discard(scope: DeadLetterScope, id: string, actor: string): Promise<DeadLetterEntity> {
    if (!isUuid(id)) throw AppError.notFound(`dead letter ${id}`);
    return this.dataSource.transaction(async (manager) => {
      const row = await scopedDeadLetters(manager, scope, { ids: [id] }).setLock('pessimistic_write').getOne();
      if (!row) throw AppError.notFound(`dead letter ${id}`);
      if (row.status === 'discarded') return row;
      row.status = 'discarded';
      row.discardedAt = new Date();
      row.lastActor = actor;
      await manager.update(DeadLetterEntity, { id: row.id }, { status: row.status, discardedAt: row.discardedAt, lastActor: actor });
      this.logger.log({ msg: 'discarded dead letter', deadLetterId: row.id, actor });
      return row;
    });
  }

  /** For other services (sync-status): dead letters of an integration (or organization, or all). */
  async count(filter: { integrationId?: string; organizationId?: string }): Promise<{ pending: number; total: number }> {
    const query = this.dataSource.manager
      .createQueryBuilder(DeadLetterEntity, 'd')
      .select(`count(*) FILTER (WHERE d.status = 'pending')::int`, 'pending')
      .addSelect('count(*)::int', 'total');
    if (filter.integrationId !== undefined) query.andWhere('d.integration_id = :integrationId', { integrationId: filter.integrationId });
    if (filter.organizationId !== undefined) query.andWhere('d.organization_id = :organizationId', { organizationId: filter.organizationId });
    const raw = await query.getRawOne<{ pending: number; total: number }>();
    return { pending: Number(raw?.pending ?? 0), total: Number(raw?.total ?? 0) };
  }
}

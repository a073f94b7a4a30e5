import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { TimelineEntryEntity } from './timeline-entry.entity';

@Injectable()
export class TimelineRepository {
  constructor(private readonly dataSource: DataSource) {}

  async add(manager: EntityManager, entries: Omit<TimelineEntryEntity, 'seq'>[]): Promise<void> {
    if (entries.length > 0) await manager.insert(TimelineEntryEntity, entries);
  }

  /** Oldest first, in commit order. */
  async listFor(incidentId: string, limit: number): Promise<TimelineEntryEntity[]> {
    return this.dataSource.manager.find(TimelineEntryEntity, { where: { incidentId }, order: { seq: 'ASC' }, take: limit });
  }
}

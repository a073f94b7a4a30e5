import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { PlatformStatus, Severity } from '@incident-sync/contracts';
import { IncidentCounterEntity } from './incident-counter.entity';
import { IncidentEntity } from './incident.entity';
import { IncidentRef } from './incident-ref';

export interface IncidentListFilter {
  statuses?: PlatformStatus[];
  severities?: Severity[];
  incidentType?: string;
  assignedTo?: string;
  updatedSince?: Date;
  createdSince?: Date;
  /** Keyset pagination: only incidents numbered below this one (newest first). */
  beforeNumber?: number;
  limit: number;
}

/** Incident rows of one organization; every query is scoped by organization id. */
@Injectable()
export class IncidentRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Hands out the organization's next number; the counter row stays locked until the caller commits. */
  async nextNumber(manager: EntityManager, organizationId: string): Promise<number> {
    const counter = manager.connection.getMetadata(IncidentCounterEntity);
    const table = `"${counter.schema ?? 'public'}"."${counter.tableName}"`;
    const rows = (await manager.query(
      `INSERT INTO ${table} ("organization_id", "last_number") VALUES ($1, 1)
       ON CONFLICT ("organization_id") DO UPDATE SET "last_number" = ${table}."last_number" + 1
       RETURNING "last_number"`,
      [organizationId],
    )) as { last_number: number }[];
    const n = rows[0]?.last_number;
    if (n === undefined) throw new Error('incident counter returned no row');
    return n;
  }

  async insert(manager: EntityManager, incident: IncidentEntity): Promise<void> {
    await manager.insert(IncidentEntity, incident);
  }

  async save(manager: EntityManager, incident: IncidentEntity): Promise<void> {
    await manager.update(IncidentEntity, { id: incident.id }, {
      title: incident.title,
      description: incident.description,
      severity: incident.severity,
      status: incident.status,
      assignedTo: incident.assignedTo,
      escalationPolicyId: incident.escalationPolicyId,
      escalationPolicyName: incident.escalationPolicyName,
      incidentType: incident.incidentType,
      externalRefs: incident.externalRefs,
      version: incident.version,
      updatedAt: incident.updatedAt,
    });
  }

  /** Finds by id or number within the organization; `forUpdate` locks the row until commit. */
  async find(organizationId: string, ref: IncidentRef, options: { manager?: EntityManager; forUpdate?: boolean } = {}): Promise<IncidentEntity | null> {
    const manager = options.manager ?? this.dataSource.manager;
    const where = 'id' in ref ? { id: ref.id, organizationId } : { number: ref.number, organizationId };
    return manager.findOne(IncidentEntity, { where, ...(options.forUpdate ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
  }

  /** By id alone (commands carry the id the sync chose; the caller checks the organization). */
  async findById(manager: EntityManager, id: string, forUpdate = false): Promise<IncidentEntity | null> {
    return manager.findOne(IncidentEntity, { where: { id }, ...(forUpdate ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
  }

  async list(organizationId: string, filter: IncidentListFilter): Promise<IncidentEntity[]> {
    const q = this.dataSource.manager.createQueryBuilder(IncidentEntity, 'i').where('i.organization_id = :organizationId', { organizationId });
    if (filter.statuses?.length) q.andWhere('i.status IN (:...statuses)', { statuses: filter.statuses });
    if (filter.severities?.length) q.andWhere('i.severity IN (:...severities)', { severities: filter.severities });
    if (filter.incidentType !== undefined) q.andWhere('i.incident_type = :incidentType', { incidentType: filter.incidentType });
    if (filter.assignedTo !== undefined) q.andWhere('lower(i.assigned_to) = lower(:assignedTo)', { assignedTo: filter.assignedTo });
    if (filter.updatedSince) q.andWhere('i.updated_at >= :updatedSince', { updatedSince: filter.updatedSince });
    if (filter.createdSince) q.andWhere('i.created_at >= :createdSince', { createdSince: filter.createdSince });
    if (filter.beforeNumber !== undefined) q.andWhere('i.number < :beforeNumber', { beforeNumber: filter.beforeNumber });
    return q.orderBy('i.number', 'DESC').limit(filter.limit).getMany();
  }
}

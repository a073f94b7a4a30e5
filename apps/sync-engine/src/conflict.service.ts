import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError } from '@incident-sync/contracts';
import { IntegrationLookup } from '@incident-sync/integration-config-client';
import { resolveConflict, type ConflictRecord, type OperatorDecision } from '@incident-sync/sync-domain';
import { DecisionCommitter } from './decision-committer.service';
import { IncidentLinkRepository } from './incident-link.repository';
import { toIntegrationSettings } from './to-domain-settings';
import { PriorityDirectory } from './priority-directory.service';
import { SyncConflictEntity } from './sync-conflict.entity';
import { UserDirectory } from './user-directory.service';

export const OPERATOR_DECISIONS = ['take_platform', 'take_external', 'take_value', 'ignore'] as const;
export type OperatorDecisionName = (typeof OPERATOR_DECISIONS)[number];

export interface ConflictView {
  id: string;
  integration_id: string;
  platform_incident_id: string;
  pd_incident_id: string | null;
  field: string;
  status: 'open' | 'resolved';
  opened_at: string;
  reason: string;
  platform_value: unknown;
  external_value: unknown;
  external_as_platform: unknown;
  resolution: string | null;
  resolved_by: string | null;
  resolved_at: string | null;
}

export function conflictView(row: SyncConflictEntity): ConflictView {
  const record: ConflictRecord = row.record;
  return {
    id: row.id,
    integration_id: row.integrationId,
    platform_incident_id: row.platformIncidentId,
    pd_incident_id: row.pdIncidentId,
    field: row.field,
    status: row.status,
    opened_at: new Date(row.openedAt).toISOString(),
    reason: record.reason,
    platform_value: record.platform.value,
    external_value: record.external.value,
    external_as_platform: record.external.asPlatform,
    resolution: row.resolution,
    resolved_by: row.resolvedBy,
    resolved_at: row.resolvedAt ? new Date(row.resolvedAt).toISOString() : null,
  };
}

export function operatorDecisionOf(decision: OperatorDecisionName, value: unknown): OperatorDecision {
  switch (decision) {
    case 'take_platform':
      return { kind: 'take-platform' };
    case 'take_external':
      return { kind: 'take-external' };
    case 'ignore':
      return { kind: 'ignore' };
    case 'take_value':
      if (value === undefined) throw AppError.validation('value', 'take_value needs a value');
      return { kind: 'take-value', value: value as never };
  }
}

/** The manual-review queue: list, inspect, and an operator's decision that releases the field. */
@Injectable()
export class ConflictService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly integrations: IntegrationLookup,
    private readonly users: UserDirectory,
    private readonly priorities: PriorityDirectory,
    private readonly links: IncidentLinkRepository,
    private readonly committer: DecisionCommitter,
  ) {}

  async list(organizationId: string, filter: { status?: string; integrationRef?: string; incident?: string }): Promise<ConflictView[]> {
    const qb = this.dataSource.getRepository(SyncConflictEntity).createQueryBuilder('c').where('c.organization_id = :org', { org: organizationId });
    if (filter.status && filter.status !== 'all') qb.andWhere('c.status = :status', { status: filter.status });
    if (filter.integrationRef) {
      const config = await this.integrations.inOrganization(organizationId, filter.integrationRef);
      qb.andWhere('c.integration_id = :integration', { integration: config.id });
    }
    if (filter.incident) qb.andWhere('(c.platform_incident_id::text = :incident OR c.pd_incident_id = :incident)', { incident: filter.incident });
    const rows = await qb.orderBy('c.opened_at', 'DESC').limit(500).getMany();
    return rows.map(conflictView);
  }

  async get(organizationId: string, id: string): Promise<ConflictView> {
    return conflictView(await this.row(organizationId, id));
  }

  async resolve(organizationId: string, id: string, decisionName: OperatorDecisionName, value: unknown, operator: string): Promise<ConflictView> {
    const row = await this.row(organizationId, id);
    if (row.status !== 'open') throw new AppError('CONFLICT', `conflict ${id} is already resolved`);
    const config = await this.integrations.byId(row.integrationId);
    if (config === null) throw AppError.notFound(`integration ${row.integrationId}`);
    const decision = operatorDecisionOf(decisionName, value);
    const emails = [row.record.platform.value, row.record.external.asPlatform, decision.kind === 'take-value' ? decision.value : null]
      .filter((v): v is string => row.field === 'assigned_to' && typeof v === 'string');
    const lookup = await this.users.forEmails(config, emails);
    const settings = toIntegrationSettings(config, lookup.pairs);
    const priorityId = await this.priorities.resolverFor(config);
    const now = new Date();
    await this.dataSource.transaction(async (em) => {
      const link = await this.links.lockById(em, row.linkId);
      if (link === null) throw AppError.notFound(`link of conflict ${id}`);
      const before = link.state;
      const result = resolveConflict(before, row.domainConflictId, decision, settings, now.getTime(), operator);
      const rejected = result.decisions.find((d) => d.outcome === 'conflict-rejected');
      if (rejected) throw AppError.validation(decisionName === 'take_value' ? 'value' : 'decision', rejected.reason);
      await this.committer.commit(em, { settings,
        link, before, decision: result, source: { kind: 'operator', id: `${id}:${operator}`, eventType: `conflict.${decisionName}` }, priorityId, now,
      });
    });
    return this.get(organizationId, id);
  }

  private async row(organizationId: string, id: string): Promise<SyncConflictEntity> {
    const row = await this.dataSource.getRepository(SyncConflictEntity).findOne({ where: { id, organizationId } });
    if (!row) throw AppError.notFound(`conflict ${id}`);
    return row;
  }
}

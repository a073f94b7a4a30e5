import { AppError, SourceTopic } from '@incident-sync/contracts';
import type { RequestContext } from '@incident-sync/service-runtime';
import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import { DeadLetterEntity } from './dead-letter.entity';
import { DEAD_LETTER_STATUSES, DeadLetterStatus, originTopicOf } from './dead-letter.values';

/**
 * Whose dead letters a caller sees. An organization key: its organization's only. The admin
 * key: the unattributed ones (organization_id null: unreadable messages) and, with
 * X-Organization-Id, that organization's too. Anything outside the scope is a 404.
 */
export interface DeadLetterScope {
  organizationId: string | null;
  includeUnattributed: boolean;
}

export interface DeadLetterFilter {
  statuses?: readonly DeadLetterStatus[];
  topics?: readonly SourceTopic[];
  integrationId?: string;
  ids?: readonly string[];
}

/** One WHERE condition over alias `d`, with its named parameters. */
export interface SqlCondition {
  sql: string;
  params: Record<string, unknown>;
}

export function scopeOf(caller: RequestContext): DeadLetterScope {
  if (caller.isAdmin) return { organizationId: caller.organizationId, includeUnattributed: true };
  if (!caller.organizationId) {
    throw new AppError('UNAUTHENTICATED', 'this call needs an organization: use an organization API key, or X-Organization-Id with the admin key');
  }
  return { organizationId: caller.organizationId, includeUnattributed: false };
}

export function scopeCondition(scope: DeadLetterScope): SqlCondition {
  if (scope.organizationId === null) return { sql: 'd.organization_id IS NULL', params: {} };
  if (scope.includeUnattributed) return { sql: '(d.organization_id = :scopeOrg OR d.organization_id IS NULL)', params: { scopeOrg: scope.organizationId } };
  return { sql: 'd.organization_id = :scopeOrg', params: { scopeOrg: scope.organizationId } };
}

/** The scope first, then each filter that is set (an empty list matches nothing). */
export function conditionsOf(scope: DeadLetterScope, filter: DeadLetterFilter): SqlCondition[] {
  const conditions = [scopeCondition(scope)];
  if (filter.statuses) conditions.push({ sql: 'd.status IN (:...statuses)', params: { statuses: nonEmpty(filter.statuses) } });
  if (filter.topics) conditions.push({ sql: 'd.original_topic IN (:...topics)', params: { topics: nonEmpty(filter.topics) } });
  if (filter.integrationId !== undefined) conditions.push({ sql: 'd.integration_id = :integrationId', params: { integrationId: filter.integrationId } });
  if (filter.ids) conditions.push({ sql: 'd.id IN (:...ids)', params: { ids: nonEmpty(filter.ids.map((id) => id.toLowerCase())) } });
  return conditions;
}

/** `IN ()` is not SQL: an empty list becomes one value no row has. */
function nonEmpty(values: readonly string[]): string[] {
  return values.length > 0 ? [...values] : ['\u0000none'];
}

const splitList = (value: string | readonly string[] | undefined): string[] | undefined => {
  if (value === undefined) return undefined;
  const parts = (typeof value === 'string' ? value.split(',') : value).map((s) => s.trim()).filter(Boolean);
  return parts.length > 0 ? parts : undefined;
};

/** `status=pending,replayed` → statuses; 400 naming `status` for anything else. */
export function parseStatuses(value: string | readonly string[] | undefined): DeadLetterStatus[] | undefined {
  const parts = splitList(value);
  if (!parts) return undefined;
  for (const p of parts) {
    if (!(DEAD_LETTER_STATUSES as readonly string[]).includes(p)) throw AppError.validation('status', `status must be one of ${DEAD_LETTER_STATUSES.join(', ')}`);
  }
  return [...new Set(parts)] as DeadLetterStatus[];
}

/** `topic=pagerduty.commands.v1` (or its `.dlq` name; comma-separated) → origin topics; 400 naming `topic` otherwise. */
export function parseTopics(value: string | readonly string[] | undefined): SourceTopic[] | undefined {
  const parts = splitList(value);
  if (!parts) return undefined;
  return [...new Set(parts.map((p) => {
    const topic = originTopicOf(p);
    if (!topic) throw AppError.validation('topic', `topic ${p} is not a topic of incident-sync (e.g. pagerduty.commands.v1)`);
    return topic;
  }))];
}

/** The dead letters within `scope` that match `filter`, as a query to refine. */
export function scopedDeadLetters(manager: EntityManager, scope: DeadLetterScope, filter: DeadLetterFilter): SelectQueryBuilder<DeadLetterEntity> {
  const query = manager.createQueryBuilder(DeadLetterEntity, 'd');
  for (const condition of conditionsOf(scope, filter)) query.andWhere(condition.sql, condition.params);
  return query;
}

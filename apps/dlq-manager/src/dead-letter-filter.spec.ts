import { AppError, DeadLetterTopic, Topic } from '@incident-sync/contracts';
import { conditionsOf, parseStatuses, parseTopics, scopeOf } from './dead-letter-filter';
import { originTopicOf, sourceTopicOfDeadLetterTopic } from './dead-letter.values';

const caller = (organizationId: string | null, isAdmin = false) => ({ organizationId, isAdmin, actor: 'k' });

describe('dead-letter scope and filters', () => {
  it('scopes an organization key to its organization only; the admin key adds unattributed rows', () => {
    expect(scopeOf(caller('org-a'))).toEqual({ organizationId: 'org-a', includeUnattributed: false });
    expect(scopeOf(caller('org-a', true))).toEqual({ organizationId: 'org-a', includeUnattributed: true });
    expect(scopeOf(caller(null, true))).toEqual({ organizationId: null, includeUnattributed: true });
    expect(() => scopeOf(caller(null))).toThrow(AppError);

    expect(conditionsOf({ organizationId: 'org-a', includeUnattributed: false }, {})).toEqual([{ sql: 'd.organization_id = :scopeOrg', params: { scopeOrg: 'org-a' } }]);
    expect(conditionsOf({ organizationId: 'org-a', includeUnattributed: true }, {})[0]?.sql).toBe('(d.organization_id = :scopeOrg OR d.organization_id IS NULL)');
    expect(conditionsOf({ organizationId: null, includeUnattributed: true }, {})[0]).toEqual({ sql: 'd.organization_id IS NULL', params: {} });
  });

  it('adds one condition per filter that is set; ids are lower-cased; an empty list matches nothing', () => {
    const conditions = conditionsOf({ organizationId: 'o', includeUnattributed: false }, {
      statuses: ['pending'], topics: [Topic.PagerDutyCommands], integrationId: 'int-1', ids: ['ABCDEF00-0000-4000-8000-000000000000'],
    });
    expect(conditions.map((c) => c.sql)).toEqual([
      'd.organization_id = :scopeOrg', 'd.status IN (:...statuses)', 'd.original_topic IN (:...topics)', 'd.integration_id = :integrationId', 'd.id IN (:...ids)',
    ]);
    expect(conditions[4]?.params).toEqual({ ids: ['abcdef00-0000-4000-8000-000000000000'] });
    const none = conditionsOf({ organizationId: 'o', includeUnattributed: false }, { ids: [] });
    expect((none[1]?.params.ids as string[])).toHaveLength(1);
  });

  it('parses status lists strictly, naming the field', () => {
    expect(parseStatuses(undefined)).toBeUndefined();
    expect(parseStatuses(' ,')).toBeUndefined();
    expect(parseStatuses('pending, replayed,pending')).toEqual(['pending', 'replayed']);
    try {
      parseStatuses('pending,lost');
      throw new Error('expected a validation error');
    } catch (error) {
      expect(error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'status' });
    }
  });

  it('accepts a topic by its name or its .dlq name, and rejects others naming the field', () => {
    expect(parseTopics(`${Topic.PagerDutyCommands},${DeadLetterTopic.PagerDutyCommands}`)).toEqual([Topic.PagerDutyCommands]);
    expect(parseTopics(DeadLetterTopic.PlatformIncidentCommands)).toEqual([Topic.PlatformIncidentCommands]);
    expect(() => parseTopics('orders.v1')).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', field: 'topic' }));
    expect(originTopicOf('pagerduty.commands.v1.dlq.dlq')).toBeNull();
    expect(sourceTopicOfDeadLetterTopic(Topic.PagerDutyCommands)).toBeNull();
  });
});

/**
 * Every Kafka topic of incident-sync. Names are versioned wire contracts: to change a
 * payload incompatibly add a `…v2` topic, never rename or reshape a published one.
 */
export const Topic = {
  IntegrationConfigChanged: 'integration.config.changed.v1',
  PlatformIncidentChanged: 'platform.incident.changed.v1',
  PlatformIncidentCommands: 'platform.incident.commands.v1',
  PagerDutyWebhookReceived: 'pagerduty.webhook.received.v1',
  PagerDutyCommands: 'pagerduty.commands.v1',
  PagerDutyCommandResults: 'pagerduty.command.results.v1',
} as const;

export type SourceTopic = (typeof Topic)[keyof typeof Topic];

/** Dead-letter topic of a source topic: `<topic>.dlq`, one per source so replay knows its origin. */
export const DeadLetterTopic = {
  IntegrationConfigChanged: 'integration.config.changed.v1.dlq',
  PlatformIncidentChanged: 'platform.incident.changed.v1.dlq',
  PlatformIncidentCommands: 'platform.incident.commands.v1.dlq',
  PagerDutyWebhookReceived: 'pagerduty.webhook.received.v1.dlq',
  PagerDutyCommands: 'pagerduty.commands.v1.dlq',
  PagerDutyCommandResults: 'pagerduty.command.results.v1.dlq',
} as const satisfies { [K in keyof typeof Topic]: `${(typeof Topic)[K]}.dlq` };

export type DeadLetterTopicName = (typeof DeadLetterTopic)[keyof typeof DeadLetterTopic];

export type TopicName = SourceTopic | DeadLetterTopicName;

export function deadLetterTopicOf(topic: SourceTopic): DeadLetterTopicName {
  return `${topic}.dlq` as DeadLetterTopicName;
}

export const ALL_SOURCE_TOPICS: readonly SourceTopic[] = Object.values(Topic);
export const ALL_DEAD_LETTER_TOPICS: readonly DeadLetterTopicName[] = Object.values(DeadLetterTopic);

/** Topic-level settings applied when the stack creates topics (partitions scale consumers). */
export interface TopicSpec {
  name: TopicName;
  partitions: number;
  /** `compact` keeps the latest value per key forever (configuration state). */
  cleanupPolicy: 'delete' | 'compact';
}

export const TOPIC_SPECS: readonly TopicSpec[] = [
  { name: Topic.IntegrationConfigChanged, partitions: 1, cleanupPolicy: 'compact' },
  { name: Topic.PlatformIncidentChanged, partitions: 6, cleanupPolicy: 'delete' },
  { name: Topic.PlatformIncidentCommands, partitions: 6, cleanupPolicy: 'delete' },
  { name: Topic.PagerDutyWebhookReceived, partitions: 6, cleanupPolicy: 'delete' },
  { name: Topic.PagerDutyCommands, partitions: 6, cleanupPolicy: 'delete' },
  { name: Topic.PagerDutyCommandResults, partitions: 6, cleanupPolicy: 'delete' },
  ...ALL_DEAD_LETTER_TOPICS.map((name) => ({ name, partitions: 1, cleanupPolicy: 'delete' as const })),
];

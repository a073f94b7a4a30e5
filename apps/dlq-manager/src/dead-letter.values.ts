import { ALL_SOURCE_TOPICS, DeadLetterTopicName, DLQ_REPLAY_OF_HEADER, SourceTopic } from '@incident-sync/contracts';

export const DEAD_LETTER_STATUSES = ['pending', 'replayed', 'discarded'] as const;
export type DeadLetterStatus = (typeof DEAD_LETTER_STATUSES)[number];

/** error_code of a row whose envelope could not be read (stored raw, never replayable). */
export const UNREADABLE_ENVELOPE = 'UNREADABLE_ENVELOPE';

/** Header added to a replayed message: the dead letter it came from (a new failure links back). */
export const REPLAY_OF_HEADER = DLQ_REPLAY_OF_HEADER;

/** `pagerduty.commands.v1.dlq` → `pagerduty.commands.v1`; null for a name that is not one of ours. */
export function sourceTopicOfDeadLetterTopic(topic: string): SourceTopic | null {
  if (!topic.endsWith('.dlq')) return null;
  const source = topic.slice(0, -'.dlq'.length);
  return (ALL_SOURCE_TOPICS as readonly string[]).includes(source) ? (source as SourceTopic) : null;
}

/** A `topic` filter names the origin topic; its `.dlq` name is accepted too. Null when unknown. */
export function originTopicOf(filter: string): SourceTopic | null {
  const trimmed = filter.trim();
  if ((ALL_SOURCE_TOPICS as readonly string[]).includes(trimmed)) return trimmed as SourceTopic;
  return sourceTopicOfDeadLetterTopic(trimmed as DeadLetterTopicName);
}

import { DeadLetterEntity } from './dead-letter.entity';
import { payloadJson, payloadPreview, prettyPayload } from './payload-preview';

/** A dead letter in a list (REST, snake_case): everything but the full payload. */
export interface DeadLetterSummaryView {
  id: string;
  organization_id: string | null;
  integration_id: string | null;
  original_topic: string;
  message_key: string | null;
  error_code: string;
  error_message: string;
  retryable: boolean;
  attempts: number;
  status: string;
  unreadable: boolean;
  replay_count: number;
  first_failed_at: string;
  last_failed_at: string;
  last_replayed_at: string | null;
  discarded_at: string | null;
  created_at: string;
  payload_preview: string;
  payload_bytes: number;
}

/** One dead letter in full: the payload pretty-printed (and parsed, for scripts), headers, origin. */
export interface DeadLetterDetailView extends DeadLetterSummaryView {
  payload: string;
  payload_json: unknown;
  headers: Record<string, string>;
  consumer_group: string | null;
  partition: number | null;
  offset: string | null;
  dlq_topic: string;
  last_actor: string | null;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function toSummaryView(d: DeadLetterEntity): DeadLetterSummaryView {
  return {
    id: d.id,
    organization_id: d.organizationId,
    integration_id: d.integrationId,
    original_topic: d.originalTopic,
    message_key: d.messageKey,
    error_code: d.errorCode,
    error_message: d.errorMessage,
    retryable: d.retryable,
    attempts: d.attempts,
    status: d.status,
    unreadable: d.unreadable,
    replay_count: d.replayCount,
    first_failed_at: d.firstFailedAt.toISOString(),
    last_failed_at: d.lastFailedAt.toISOString(),
    last_replayed_at: iso(d.lastReplayedAt),
    discarded_at: iso(d.discardedAt),
    created_at: d.createdAt.toISOString(),
    payload_preview: payloadPreview(d.payload),
    payload_bytes: Buffer.byteLength(d.payload, 'utf8'),
  };
}

export function toDetailView(d: DeadLetterEntity): DeadLetterDetailView {
  return {
    ...toSummaryView(d),
    payload: prettyPayload(d.payload),
    payload_json: payloadJson(d.payload),
    headers: d.headers,
    consumer_group: d.consumerGroup,
    partition: d.partition,
    offset: d.offset,
    dlq_topic: d.dlqTopic,
    last_actor: d.lastActor,
  };
}

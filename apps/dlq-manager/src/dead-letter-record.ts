import { randomUUID } from 'node:crypto';
import { AppError, DeadLetterEnvelope, isUuid, SourceTopic, validatePayload } from '@incident-sync/contracts';
import { DeadLetterEntity } from './dead-letter.entity';
import { sourceTopicOfDeadLetterTopic, UNREADABLE_ENVELOPE } from './dead-letter.values';

/** What the consumer read from a `.dlq` topic (the parts this needs). */
export interface DeadLetterRecord {
  topic: string;
  partition: number;
  offset: string;
  value: string;
}

export interface ReadDeadLetter {
  /** The inbox key: the envelope's deadLetterId, or the record's position when unreadable. */
  inboxKey: string;
  row: DeadLetterEntity;
}

const MAX_ERROR_MESSAGE = 4000;

/** `integrationId` of an original payload when it is a JSON object that has a string one. */
export function integrationIdOf(payload: string): string | null {
  try {
    const value = JSON.parse(payload) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
    const id = (value as { integrationId?: unknown }).integrationId;
    return typeof id === 'string' && id.length > 0 && id.length <= 200 ? id : null;
  } catch {
    return null;
  }
}

function stringHeaders(headers: Record<string, unknown>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (typeof value === 'string') result[name] = value;
  return result;
}

/**
 * Turns one record of a `.dlq` topic into the row to store. A valid DeadLetterEnvelope
 * becomes a pending, replayable row; anything else (not JSON, wrong shape, unknown origin)
 * becomes an "unreadable" row holding the raw text, so nothing is lost and nothing throws.
 */
export function readDeadLetter(record: DeadLetterRecord, receivedAt: Date): ReadDeadLetter {
  const origin = sourceTopicOfDeadLetterTopic(record.topic);
  let parsed: unknown;
  try {
    try {
      parsed = JSON.parse(record.value);
    } catch {
      throw new AppError('MALFORMED_MESSAGE', 'envelope is not JSON');
    }
    const envelope = validatePayload(DeadLetterEnvelope, parsed, 'MALFORMED_MESSAGE');
    return { inboxKey: envelope.deadLetterId.toLowerCase(), row: rowOfEnvelope(envelope, record.topic, receivedAt) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    // A uuid deadLetterId still identifies the envelope (so a redelivery is stored once);
    // without one, the record's position does.
    const claimed = typeof parsed === 'object' && parsed !== null ? (parsed as { deadLetterId?: unknown }).deadLetterId : undefined;
    const id = typeof claimed === 'string' && isUuid(claimed) ? claimed.toLowerCase() : null;
    return {
      inboxKey: id ?? `${record.topic}:${record.partition}:${record.offset}`,
      row: unreadableRow(id ?? randomUUID(), origin, record, reason, receivedAt),
    };
  }
}

function rowOfEnvelope(envelope: DeadLetterEnvelope, dlqTopic: string, receivedAt: Date): DeadLetterEntity {
  const firstFailedAt = new Date(envelope.firstFailedAt);
  const lastFailedAt = new Date(envelope.lastFailedAt);
  return Object.assign(new DeadLetterEntity(), {
    id: envelope.deadLetterId.toLowerCase(),
    organizationId: envelope.organizationId ?? null,
    integrationId: integrationIdOf(envelope.payload),
    originalTopic: envelope.originalTopic,
    dlqTopic,
    messageKey: envelope.key ?? null,
    payload: envelope.payload,
    headers: stringHeaders(envelope.headers),
    errorCode: envelope.errorCode,
    errorMessage: envelope.errorMessage.slice(0, MAX_ERROR_MESSAGE),
    retryable: envelope.retryable,
    attempts: envelope.attempts,
    firstFailedAt: Number.isNaN(firstFailedAt.getTime()) ? receivedAt : firstFailedAt,
    lastFailedAt: Number.isNaN(lastFailedAt.getTime()) ? receivedAt : lastFailedAt,
    consumerGroup: envelope.consumerGroup,
    partition: envelope.partition ?? null,
    offset: envelope.offset ?? null,
    unreadable: false,
    status: 'pending',
    replayCount: 0,
    lastReplayedAt: null,
    discardedAt: null,
    lastActor: null,
    createdAt: receivedAt,
  } satisfies DeadLetterEntity);
}

function unreadableRow(id: string, origin: SourceTopic | null, record: DeadLetterRecord, reason: string, receivedAt: Date): DeadLetterEntity {
  return Object.assign(new DeadLetterEntity(), {
    id,
    // Who it belongs to cannot be trusted from an unreadable envelope: admin only.
    organizationId: null,
    integrationId: null,
    // The `.dlq` topic names the origin even when the envelope does not.
    originalTopic: (origin ?? record.topic) as SourceTopic,
    dlqTopic: record.topic,
    messageKey: null,
    payload: record.value,
    headers: {},
    errorCode: UNREADABLE_ENVELOPE,
    errorMessage: `the dead-letter envelope at ${record.topic}[${record.partition}]@${record.offset} could not be read (${reason})`.slice(0, MAX_ERROR_MESSAGE),
    retryable: false,
    attempts: 0,
    firstFailedAt: receivedAt,
    lastFailedAt: receivedAt,
    consumerGroup: null,
    partition: null,
    offset: null,
    unreadable: true,
    status: 'pending',
    replayCount: 0,
    lastReplayedAt: null,
    discardedAt: null,
    lastActor: null,
    createdAt: receivedAt,
  } satisfies DeadLetterEntity);
}

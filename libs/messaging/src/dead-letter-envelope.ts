import { AppError, DeadLetterEnvelope, deterministicUuid, FailureClass, SourceTopic } from '@incident-sync/contracts';
import type { ParkFailure } from '@incident-sync/persistence';

/** The header carrying a dead letter's parking history (JSON list of {at, code, message}). */
export const PARK_HISTORY_HEADER = 'x-park-history';

/** Where a dead-lettered record came from, as the consumer base read it. */
export interface DeadLetterOrigin {
  topic: SourceTopic;
  consumerGroup: string;
  partition: number;
  offset: string;
  key: string | null;
  payload: string;
  headers: Record<string, string>;
}

/**
 * The dead letter of one record for one consumer group: the same record always gets the
 * same id, so a redelivery after a crash between dead-lettering and the offset commit is
 * stored once by dlq-manager (its inbox is keyed by deadLetterId).
 */
export function deadLetterIdOf(consumerGroup: string, topic: string, partition: number, offset: string): string {
  return deterministicUuid(`dead-letter|${consumerGroup}|${topic}|${partition}|${offset}`);
}

/** A transient failure that outlived the parking limit. */
export class ParkedTooLongError extends Error {
  constructor(limitMs: number, parkedAt: Date, attempts: number, last: unknown) {
    super(`parked since ${parkedAt.toISOString()} (limit ${Math.round(limitMs / 1000)} s, ${attempts} tries); last failure: ${describe(last)}`);
    this.name = 'ParkedTooLongError';
  }
}

/** The envelope published on `<topic>.dlq` for a record the consumer base gave up on. */
export function deadLetterEnvelope(origin: DeadLetterOrigin, error: unknown, kind: FailureClass, attempts: number, firstFailedAt: string, history: ParkFailure[]): DeadLetterEnvelope {
  const headers = history.length > 0 ? { ...origin.headers, [PARK_HISTORY_HEADER]: JSON.stringify(history) } : origin.headers;
  return {
    deadLetterId: deadLetterIdOf(origin.consumerGroup, origin.topic, origin.partition, origin.offset),
    originalTopic: origin.topic,
    key: origin.key,
    payload: origin.payload,
    headers,
    errorCode: error instanceof ParkedTooLongError ? 'PARKED_TOO_LONG' : error instanceof AppError ? error.code : kind.code,
    errorMessage: describe(error),
    retryable: kind.kind !== 'permanent',
    attempts,
    firstFailedAt,
    lastFailedAt: new Date().toISOString(),
    consumerGroup: origin.consumerGroup,
    partition: origin.partition,
    offset: origin.offset,
    organizationId: stringField(origin.payload, 'organizationId'),
  };
}

export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function stringField(raw: string, name: 'organizationId' | 'integrationId'): string | null {
  try {
    const value = JSON.parse(raw) as Record<string, unknown>;
    return typeof value[name] === 'string' ? value[name] : null;
  } catch {
    return null;
  }
}

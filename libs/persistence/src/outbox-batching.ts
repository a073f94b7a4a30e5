/**
 * Sizing of outbox messages against what the Kafka broker accepts, kept pure so it can be
 * unit-tested. The broker rejects a record batch (all records of one partition in one
 * produce request) larger than `message.max.bytes` (default 1048588 = 1 MiB + 12; our
 * deploy/local/kafka.sh and compose keep the default) with MESSAGE_TOO_LARGE, and kafkajs
 * sends no compression here, so bytes on the wire are the bytes we count.
 */

/** Broker default `message.max.bytes` (Kafka 4.1; also the topic default `max.message.bytes`). */
export const KAFKA_MAX_MESSAGE_BYTES = 1_048_588;

/** Record batch v2 header: baseOffset … recordsCount (Kafka protocol, "Record Batch"). */
export const RECORD_BATCH_OVERHEAD_BYTES = 61;

export interface SizedMessage {
  key: string | null;
  value: string;
  headers: Record<string, string>;
}

const VARINT_MAX = 5;
const VARLONG_MAX = 10;

/**
 * Upper bound of one record's size inside a v2 record batch: length, attributes,
 * timestampDelta, offsetDelta, key, value and headers, each variable length counted at its
 * largest encoding, so a batch we size never exceeds what the broker counts.
 */
export function recordSizeBytes(message: SizedMessage): number {
  let size = VARINT_MAX /* length */ + 1 /* attributes */ + VARLONG_MAX /* timestampDelta */ + VARINT_MAX /* offsetDelta */;
  size += VARINT_MAX + (message.key === null ? 0 : Buffer.byteLength(message.key, 'utf8'));
  size += VARINT_MAX + Buffer.byteLength(message.value, 'utf8');
  size += VARINT_MAX;
  for (const [name, value] of Object.entries(message.headers)) {
    size += VARINT_MAX + Buffer.byteLength(name, 'utf8') + VARINT_MAX + Buffer.byteLength(value, 'utf8');
  }
  return size;
}

/** True when the message cannot be published even alone in its own record batch. */
export function exceedsBrokerLimit(message: SizedMessage, maxMessageBytes = KAFKA_MAX_MESSAGE_BYTES): boolean {
  return RECORD_BATCH_OVERHEAD_BYTES + recordSizeBytes(message) > maxMessageBytes;
}

export interface BatchPlan<T> {
  /** Messages that fit, in order, grouped so each group fits one record batch. */
  chunks: T[][];
  /** Messages too large to publish even alone: to be set aside. */
  oversized: T[];
  /** Later messages with the key of an oversized one: held behind it, not published now. */
  held: T[];
}

/**
 * Splits messages (in commit order) into produce requests of at most `maxBytes` each,
 * counted as if every message went to one partition (the worst case), so no request can
 * carry a record batch the broker rejects. A message too large even alone is set aside;
 * later messages with the same key are held behind it, so they never overtake it silently.
 */
export function planBatches<T extends SizedMessage>(messages: readonly T[], maxBytes = KAFKA_MAX_MESSAGE_BYTES, heldKeys: ReadonlySet<string> = new Set()): BatchPlan<T> {
  const plan: BatchPlan<T> = { chunks: [], oversized: [], held: [] };
  const blocked = new Set(heldKeys);
  let chunk: T[] = [];
  let chunkBytes = RECORD_BATCH_OVERHEAD_BYTES;
  for (const message of messages) {
    if (message.key !== null && blocked.has(message.key)) {
      plan.held.push(message);
      continue;
    }
    const size = recordSizeBytes(message);
    if (RECORD_BATCH_OVERHEAD_BYTES + size > maxBytes) {
      plan.oversized.push(message);
      if (message.key !== null) blocked.add(message.key);
      continue;
    }
    if (chunk.length > 0 && chunkBytes + size > maxBytes) {
      plan.chunks.push(chunk);
      chunk = [];
      chunkBytes = RECORD_BATCH_OVERHEAD_BYTES;
    }
    chunk.push(message);
    chunkBytes += size;
  }
  if (chunk.length > 0) plan.chunks.push(chunk);
  return plan;
}

const TOO_LARGE_TYPES = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE']);

/**
 * True for kafkajs's non-retriable "too large" protocol errors (KafkaJSProtocolError with
 * type MESSAGE_TOO_LARGE, code 10, or RECORD_LIST_TOO_LARGE, code 18), also when wrapped
 * (kafkajs wraps a non-retriable error in KafkaJSNonRetriableError with `cause`).
 * Connection errors, timeouts and every retriable error are false: those never set a
 * message aside.
 */
export function isMessageTooLargeError(error: unknown, depth = 0): boolean {
  if (depth > 5 || typeof error !== 'object' || error === null) return false;
  const e = error as { type?: unknown; retriable?: unknown; cause?: unknown; originalError?: unknown; errors?: unknown };
  if (typeof e.type === 'string' && TOO_LARGE_TYPES.has(e.type) && e.retriable !== true) return true;
  if (isMessageTooLargeError(e.cause, depth + 1) || isMessageTooLargeError(e.originalError, depth + 1)) return true;
  return Array.isArray(e.errors) && e.errors.some((inner) => isMessageTooLargeError(inner, depth + 1));
}

/** At most `maxChars` characters of `text`, never splitting a surrogate pair, with a marker when cut. */
export function previewOf(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  let end = maxChars;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}… [${text.length - end} more characters]`;
}

import { exceedsBrokerLimit, isMessageTooLargeError, KAFKA_MAX_MESSAGE_BYTES, planBatches, previewOf, RECORD_BATCH_OVERHEAD_BYTES, recordSizeBytes } from './outbox-batching';

const msg = (key: string | null, bytes: number, id = key ?? 'x'): { id: string; key: string | null; value: string; headers: Record<string, string> } => ({
  id, key, value: 'a'.repeat(bytes), headers: { 'message-id': id },
});

describe('record sizing', () => {
  it('given multi-byte characters, when sized, then UTF-8 bytes count, not characters', () => {
    const ascii = recordSizeBytes({ key: 'k', value: 'aaaa', headers: {} });
    const cjk = recordSizeBytes({ key: 'k', value: '運用運用', headers: {} });
    expect(cjk - ascii).toBe(8);
  });

  it('given headers and a key, when sized, then they count with their length prefixes', () => {
    const bare = recordSizeBytes({ key: null, value: 'v', headers: {} });
    expect(recordSizeBytes({ key: 'kk', value: 'v', headers: {} })).toBe(bare + 2);
    expect(recordSizeBytes({ key: null, value: 'v', headers: { h: 'vv' } })).toBe(bare + 5 + 1 + 5 + 2);
  });

  it('given a message just under and just over the broker limit alone, then only the larger exceeds it', () => {
    const base = recordSizeBytes({ key: 'k', value: '', headers: {} }) + RECORD_BATCH_OVERHEAD_BYTES;
    expect(exceedsBrokerLimit({ key: 'k', value: 'a'.repeat(KAFKA_MAX_MESSAGE_BYTES - base), headers: {} })).toBe(false);
    expect(exceedsBrokerLimit({ key: 'k', value: 'a'.repeat(KAFKA_MAX_MESSAGE_BYTES - base + 1), headers: {} })).toBe(true);
  });
});

describe('planBatches', () => {
  it('given messages whose total exceeds the limit, when planned, then chunks keep order and each fits', () => {
    const messages = Array.from({ length: 10 }, (_, i) => msg(`k${i}`, 300, `m${i}`));
    const plan = planBatches(messages, 1000);
    expect(plan.chunks.flat().map((m) => m.id)).toEqual(messages.map((m) => m.id));
    expect(plan.chunks.length).toBeGreaterThan(1);
    for (const chunk of plan.chunks) {
      expect(RECORD_BATCH_OVERHEAD_BYTES + chunk.reduce((n, m) => n + recordSizeBytes(m), 0)).toBeLessThanOrEqual(1000);
    }
    expect(plan.oversized).toEqual([]);
  });

  it('given one message too large even alone, then it is set aside and later messages with its key are held, others flow', () => {
    const messages = [msg('a', 10, 'a1'), msg('b', 5000, 'b1'), msg('c', 10, 'c1'), msg('b', 10, 'b2'), msg(null, 10, 'n1')];
    const plan = planBatches(messages, 1000);
    expect(plan.oversized.map((m) => m.id)).toEqual(['b1']);
    expect(plan.held.map((m) => m.id)).toEqual(['b2']);
    expect(plan.chunks.flat().map((m) => m.id)).toEqual(['a1', 'c1', 'n1']);
  });

  it('given a key held from before, then its messages are held', () => {
    const plan = planBatches([msg('a', 10, 'a1'), msg('b', 10, 'b1')], 1000, new Set(['a']));
    expect(plan.held.map((m) => m.id)).toEqual(['a1']);
    expect(plan.chunks.flat().map((m) => m.id)).toEqual(['b1']);
  });
});

describe('isMessageTooLargeError', () => {
  const protocol = (type: string, retriable: boolean): Error => Object.assign(new Error(type), { name: 'KafkaJSProtocolError', type, retriable });

  it('recognises MESSAGE_TOO_LARGE and RECORD_LIST_TOO_LARGE, also wrapped by kafkajs', () => {
    expect(isMessageTooLargeError(protocol('MESSAGE_TOO_LARGE', false))).toBe(true);
    expect(isMessageTooLargeError(protocol('RECORD_LIST_TOO_LARGE', false))).toBe(true);
    const wrapped = Object.assign(new Error('wrapped'), { name: 'KafkaJSNonRetriableError', retriable: false, cause: protocol('MESSAGE_TOO_LARGE', false) });
    expect(isMessageTooLargeError(wrapped)).toBe(true);
  });

  it('never treats connection or retriable errors as too large', () => {
    expect(isMessageTooLargeError(Object.assign(new Error('Connection error: connect ECONNREFUSED'), { name: 'KafkaJSConnectionError', retriable: true }))).toBe(false);
    expect(isMessageTooLargeError(Object.assign(new Error('retries'), { name: 'KafkaJSNumberOfRetriesExceeded', cause: protocol('NOT_LEADER_FOR_PARTITION', true) }))).toBe(false);
    expect(isMessageTooLargeError(new Error('MESSAGE_TOO_LARGE in text only'))).toBe(false);
    expect(isMessageTooLargeError(undefined)).toBe(false);
  });
});

describe('previewOf', () => {
  it('keeps short text and cuts long text without splitting a surrogate pair', () => {
    expect(previewOf('short', 10)).toBe('short');
    const cut = previewOf(`abc${'😀'.repeat(5)}`, 4);
    expect(cut.startsWith('abc…')).toBe(true);
    expect(cut).toContain('more characters');
  });
});

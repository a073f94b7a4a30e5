import 'reflect-metadata';
import { PATTERN_METADATA } from '@nestjs/microservices/constants';
import { ALL_DEAD_LETTER_TOPICS, DeadLetterEnvelope, DeadLetterTopic, Topic } from '@incident-sync/contracts';
import { integrationIdOf, readDeadLetter } from './dead-letter-record';
import { DeadLettersConsumer } from './dead-letters.consumer';

const now = new Date('2026-11-26T12:00:00.000Z');
const envelope = (over: Partial<DeadLetterEnvelope> = {}): DeadLetterEnvelope => ({
  deadLetterId: '5b0e2f1e-8a7c-4f5e-9a53-0b6f3f1f2a11',
  originalTopic: Topic.PagerDutyCommands,
  key: 'int-1',
  payload: JSON.stringify({ commandId: 'c1', integrationId: 'int-1', organizationId: 'org-a' }),
  headers: { 'message-id': 'c1' },
  errorCode: 'UPSTREAM_PERMANENT',
  errorMessage: 'PagerDuty said no',
  retryable: false,
  attempts: 3,
  firstFailedAt: '2026-11-26T11:59:00.000Z',
  lastFailedAt: '2026-11-26T11:59:30.000Z',
  consumerGroup: 'outbound-dispatcher',
  partition: 2,
  offset: '41',
  organizationId: 'org-a',
  ...over,
});
const record = (value: string) => ({ topic: DeadLetterTopic.PagerDutyCommands, partition: 0, offset: '7', value });

describe('reading a dead-letter record', () => {
  it('turns a valid envelope into a pending row keyed by its deadLetterId, integration from the payload', () => {
    const { inboxKey, row } = readDeadLetter(record(JSON.stringify(envelope())), now);
    expect(inboxKey).toBe('5b0e2f1e-8a7c-4f5e-9a53-0b6f3f1f2a11');
    expect(row).toMatchObject({
      id: inboxKey, organizationId: 'org-a', integrationId: 'int-1', originalTopic: Topic.PagerDutyCommands, dlqTopic: DeadLetterTopic.PagerDutyCommands,
      messageKey: 'int-1', headers: { 'message-id': 'c1' }, errorCode: 'UPSTREAM_PERMANENT', retryable: false, attempts: 3, consumerGroup: 'outbound-dispatcher',
      partition: 2, offset: '41', unreadable: false, status: 'pending', replayCount: 0, createdAt: now,
    });
    expect(row.firstFailedAt.toISOString()).toBe('2026-11-26T11:59:00.000Z');
    expect(row.payload).toBe(envelope().payload);
  });

  it('keeps null organization and key, and a non-JSON original payload', () => {
    const { row } = readDeadLetter(record(JSON.stringify(envelope({ organizationId: null, key: null, payload: 'not json' }))), now);
    expect(row).toMatchObject({ organizationId: null, messageKey: null, integrationId: null, payload: 'not json', unreadable: false });
  });

  it('stores an unreadable envelope raw, admin-only, keyed by its position (or by a uuid deadLetterId it claims)', () => {
    const notJson = readDeadLetter(record('{{nope'), now);
    expect(notJson.inboxKey).toBe(`${DeadLetterTopic.PagerDutyCommands}:0:7`);
    expect(notJson.row).toMatchObject({ unreadable: true, organizationId: null, payload: '{{nope', errorCode: 'UNREADABLE_ENVELOPE', originalTopic: Topic.PagerDutyCommands, status: 'pending' });
    expect(notJson.row.errorMessage).toContain('not JSON');

    const wrongShape = readDeadLetter(record(JSON.stringify({ ...envelope(), attempts: 0, organizationId: 'org-a' })), now);
    expect(wrongShape.inboxKey).toBe('5b0e2f1e-8a7c-4f5e-9a53-0b6f3f1f2a11');
    expect(wrongShape.row).toMatchObject({ unreadable: true, organizationId: null, id: '5b0e2f1e-8a7c-4f5e-9a53-0b6f3f1f2a11' });
    expect(wrongShape.row.errorMessage).toContain('attempts');

    const unknownField = readDeadLetter(record(JSON.stringify({ ...envelope(), extra: 1 })), now);
    expect(unknownField.row.unreadable).toBe(true);
  });

  it('reads integrationId only from a JSON object with a string one', () => {
    expect(integrationIdOf('{"integrationId":"abc"}')).toBe('abc');
    expect(integrationIdOf('{"integrationId":5}')).toBeNull();
    expect(integrationIdOf('[1]')).toBeNull();
    expect(integrationIdOf('nope')).toBeNull();
  });

  it('has one @EventPattern per dead-letter topic', () => {
    const prototype = DeadLettersConsumer.prototype as unknown as Record<string, unknown>;
    const patterns = Object.getOwnPropertyNames(DeadLettersConsumer.prototype)
      .flatMap((name) => (Reflect.getMetadata(PATTERN_METADATA, prototype[name] as object) as string[] | undefined) ?? []);
    expect([...patterns].sort()).toEqual([...ALL_DEAD_LETTER_TOPICS].sort());
  });
});

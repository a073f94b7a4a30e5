import { EntityManager } from 'typeorm';
import { MESSAGE_ID_HEADER, TOPIC_CONTRACTS, TopicName, TopicPayloads, validatePayload } from '@incident-sync/contracts';
import { OutboxMessageEntity } from './outbox-message.entity';
import { notifyOutboxCommit } from './outbox-wake';

/**
 * Adds a message to the outbox inside the caller's transaction, so the business change and
 * its event commit together or not at all. Same typing and validation as EventPublisher.
 */
export async function addToOutbox<T extends TopicName>(manager: EntityManager, topic: T, payload: TopicPayloads[T], headers: Record<string, string> = {}): Promise<void> {
  const contract = TOPIC_CONTRACTS[topic];
  const json = JSON.stringify(payload);
  validatePayload(contract.payload as new () => object, JSON.parse(json));
  const messageId = contract.messageId(payload);
  await manager.insert(OutboxMessageEntity, {
    messageId,
    topic,
    messageKey: contract.key(payload),
    payload: json,
    headers: { ...headers, [MESSAGE_ID_HEADER]: messageId },
  });
  // Wakes the relay when (and only if) this transaction commits.
  await notifyOutboxCommit(manager);
}

/**
 * addToOutbox for many messages of one topic in one statement (group commit, issue #16): each
 * is validated like addToOutbox's, and they get their `seq` — the relay's publication order —
 * in the order given (rows are produced and numbered in array order: ORDER BY ordinality).
 * `table` is the schema-qualified outbox table of the manager's DataSource.
 */
export async function addManyToOutbox<T extends TopicName>(manager: EntityManager, table: string, topic: T, payloads: readonly TopicPayloads[T][]): Promise<void> {
  if (payloads.length === 0) return;
  const contract = TOPIC_CONTRACTS[topic];
  const ids: string[] = [], keys: (string | null)[] = [], jsons: string[] = [], headers: string[] = [];
  for (const payload of payloads) {
    const json = JSON.stringify(payload);
    validatePayload(contract.payload as new () => object, JSON.parse(json));
    const messageId = contract.messageId(payload);
    ids.push(messageId);
    keys.push(contract.key(payload));
    jsons.push(json);
    headers.push(JSON.stringify({ [MESSAGE_ID_HEADER]: messageId }));
  }
  await manager.query(
    `INSERT INTO ${table} ("message_id", "topic", "message_key", "payload", "headers")
     SELECT u.id, $1, u.key, u.payload, u.headers FROM unnest($2::varchar[], $3::varchar[], $4::text[], $5::jsonb[]) WITH ORDINALITY AS u(id, key, payload, headers, n)
     ORDER BY u.n`,
    [topic, ids, keys, jsons, headers],
  );
  await notifyOutboxCommit(manager);
}

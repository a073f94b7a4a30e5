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

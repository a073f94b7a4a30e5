import { DeadLetterEnvelope } from './dead-letter.envelope';
import { IntegrationConfigChangedV1 } from './integration-config-changed.event';
import { PagerDutyCommandResultV1, PagerDutyCommandV1 } from './pagerduty-command';
import { PagerDutyWebhookReceivedV1 } from './pagerduty-webhook-received.event';
import { PlatformIncidentCommandV1 } from './platform-incident-command';
import { PlatformIncidentChangedV1 } from './platform-incident-changed.event';
import { DeadLetterTopic, Topic, TopicName } from './topics';

/** The one map from topic to payload type: `publish(topic, payload)` is checked against it. */
export interface TopicPayloads {
  [Topic.IntegrationConfigChanged]: IntegrationConfigChangedV1;
  [Topic.PlatformIncidentChanged]: PlatformIncidentChangedV1;
  [Topic.PlatformIncidentCommands]: PlatformIncidentCommandV1;
  [Topic.PagerDutyWebhookReceived]: PagerDutyWebhookReceivedV1;
  [Topic.PagerDutyCommands]: PagerDutyCommandV1;
  [Topic.PagerDutyCommandResults]: PagerDutyCommandResultV1;
  [DeadLetterTopic.IntegrationConfigChanged]: DeadLetterEnvelope;
  [DeadLetterTopic.PlatformIncidentChanged]: DeadLetterEnvelope;
  [DeadLetterTopic.PlatformIncidentCommands]: DeadLetterEnvelope;
  [DeadLetterTopic.PagerDutyWebhookReceived]: DeadLetterEnvelope;
  [DeadLetterTopic.PagerDutyCommands]: DeadLetterEnvelope;
  [DeadLetterTopic.PagerDutyCommandResults]: DeadLetterEnvelope;
}

type Ctor<T> = new () => T;

interface TopicContract<T> {
  payload: Ctor<T>;
  /** The partition key: it decides what stays in order (see ARCHITECTURE §4). */
  key: (payload: T) => string | null;
  /** Id that consumers de-duplicate on (the inbox key). */
  messageId: (payload: T) => string;
}

const deadLetter: TopicContract<DeadLetterEnvelope> = {
  payload: DeadLetterEnvelope,
  key: (p) => p.key,
  messageId: (p) => p.deadLetterId,
};

export const TOPIC_CONTRACTS: { [T in TopicName]: TopicContract<TopicPayloads[T]> } = {
  [Topic.IntegrationConfigChanged]: { payload: IntegrationConfigChangedV1, key: (p) => p.integrationId, messageId: (p) => p.eventId },
  [Topic.PlatformIncidentChanged]: { payload: PlatformIncidentChangedV1, key: (p) => p.incidentId, messageId: (p) => p.eventId },
  [Topic.PlatformIncidentCommands]: { payload: PlatformIncidentCommandV1, key: (p) => p.incidentId, messageId: (p) => p.commandId },
  [Topic.PagerDutyWebhookReceived]: {
    payload: PagerDutyWebhookReceivedV1,
    // Events without an incident (pings, service events) share a per-integration key.
    key: (p) => p.pdIncidentId ?? `integration:${p.integrationId}`,
    messageId: (p) => p.receiptId,
  },
  [Topic.PagerDutyCommands]: { payload: PagerDutyCommandV1, key: (p) => p.integrationId, messageId: (p) => p.commandId },
  [Topic.PagerDutyCommandResults]: { payload: PagerDutyCommandResultV1, key: (p) => p.platformIncidentId, messageId: (p) => p.resultId },
  [DeadLetterTopic.IntegrationConfigChanged]: deadLetter,
  [DeadLetterTopic.PlatformIncidentChanged]: deadLetter,
  [DeadLetterTopic.PlatformIncidentCommands]: deadLetter,
  [DeadLetterTopic.PagerDutyWebhookReceived]: deadLetter,
  [DeadLetterTopic.PagerDutyCommands]: deadLetter,
  [DeadLetterTopic.PagerDutyCommandResults]: deadLetter,
};

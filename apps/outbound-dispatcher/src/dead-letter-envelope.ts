import { DeadLetterEnvelope, deterministicUuid, Topic } from '@incident-sync/contracts';
import { ClassifiedFailure } from './failure-classification';
import { CommandHistory, StoredCommand } from './dispatch.repository';

/** Longest errorMessage sent (dlq-manager keeps 4000 characters). */
const MAX_MESSAGE = 3900;

/**
 * The dead-letter id of one stored command: derived from its intake id, so a crash between
 * publishing and committing (or a redelivery) repeats the same id and dlq-manager stores it
 * once, while a DLQ replay (its own intake id) that fails again is a new dead letter.
 */
export function deadLetterIdOf(intakeId: string): string {
  return deterministicUuid(`pagerduty.commands.v1.dlq:${intakeId}`);
}

/** The message of a final failure: what PagerDuty said, its error body, and for a replay the earlier failures. */
export function deadLetterMessage(failure: ClassifiedFailure, attempts: number, parkedTooLong: boolean, history: CommandHistory): string {
  const head = parkedTooLong ? `parked too long, gave up after ${attempts} attempt(s): ` : '';
  const body = failure.body ? `; PagerDuty error body: ${JSON.stringify(failure.body)}` : '';
  const earlier = history.errors.length
    ? `; earlier deliveries failed: ${history.errors.map((e) => `[${e.at.toISOString()}] ${e.message}`).join(' | ')}`
    : '';
  const text = `${head}${failure.message}${body}${earlier}`;
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE - 1)}…` : text;
}

/**
 * The envelope of one command on `pagerduty.commands.v1.dlq`: the command as received (its
 * headers too, so a replay's `dlq-replay-of` links the new dead letter to the old), and its
 * whole history — attempts and first failure summed over earlier deliveries of the same command.
 */
export function deadLetterEnvelope(input: {
  command: StoredCommand;
  integrationId: string;
  code: string;
  message: string;
  retryable: boolean;
  history: CommandHistory;
  consumerGroup: string;
  now: Date;
}): DeadLetterEnvelope {
  const c = input.command;
  const firsts = [c.firstFailedAt, input.history.firstFailedAt].filter((d): d is Date => d !== null).map((d) => new Date(d).getTime());
  return {
    deadLetterId: deadLetterIdOf(c.intakeId),
    originalTopic: Topic.PagerDutyCommands,
    key: input.integrationId,
    payload: c.payload,
    headers: c.headers,
    errorCode: input.code,
    errorMessage: input.message,
    retryable: input.retryable,
    attempts: c.attempts + 1 + input.history.attempts,
    firstFailedAt: new Date(firsts.length ? Math.min(...firsts) : input.now.getTime()).toISOString(),
    lastFailedAt: input.now.toISOString(),
    consumerGroup: input.consumerGroup,
    partition: c.sourcePartition,
    offset: c.sourceOffset,
    organizationId: c.organizationId,
  };
}

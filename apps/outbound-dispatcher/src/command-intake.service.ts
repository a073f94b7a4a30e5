import { Injectable } from '@nestjs/common';
import { deterministicUuid, DLQ_REPLAY_ID_HEADER, DLQ_REPLAY_OF_HEADER, PagerDutyCommandV1 } from '@incident-sync/contracts';
import { ConsumedMessage } from '@incident-sync/messaging';
import { DispatchRepository } from './dispatch.repository';
import { DispatchScheduler } from './dispatch-scheduler.service';

/**
 * The intake key of a consumed command. A first delivery (and any redelivery of it) is keyed
 * by its command id. A DLQ replay carries the same command id, so it is keyed by the command
 * id AND the replay: `dlq-replay-id` (one per replay call), or `dlq-replay-of` from a
 * dlq-manager that predates it. A redelivered replay repeats its key (stored once); a replay
 * is never swallowed by the failed row it was replayed from.
 */
export function intakeKeyOf(commandId: string, headers: Record<string, string>): { intakeId: string; replayOf: string | null } {
  const replayOf = headers[DLQ_REPLAY_OF_HEADER] ?? null;
  const replayId = headers[DLQ_REPLAY_ID_HEADER] ?? null;
  if (!replayOf && !replayId) return { intakeId: commandId, replayOf: null };
  return { intakeId: deterministicUuid(`pagerduty.commands.v1:${commandId}:replay:${replayId ?? `of:${replayOf}`}`), replayOf };
}

/**
 * The consumer's whole job: store the command durably (the intake key de-duplicates a
 * redelivery) and wake the integration's worker. The offset is committed only after this
 * returns, so a kill -9 at any point either redelivers the command or finds it stored.
 */
@Injectable()
export class CommandIntakeService {
  constructor(private readonly repository: DispatchRepository, private readonly scheduler: DispatchScheduler) {}

  async accept(message: ConsumedMessage<PagerDutyCommandV1>): Promise<void> {
    const command = message.payload;
    await this.repository.insertCommand(intakeKeyOf(command.commandId, message.headers), command, JSON.stringify(command), message.headers, message.partition, message.offset);
    this.scheduler.notify(command.integrationId);
  }
}

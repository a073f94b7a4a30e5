import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError, deterministicUuid, DLQ_REPLAY_ID_HEADER, isUuid, SourceTopic } from '@incident-sync/contracts';
import { EventPublisher } from '@incident-sync/messaging';
import { DeadLetterFilter, DeadLetterScope, scopedDeadLetters } from './dead-letter-filter';
import { DeadLetterEntity } from './dead-letter.entity';
import { REPLAY_OF_HEADER } from './dead-letter.values';

export interface BulkReplayResult {
  /** Dead letters re-published by this call, oldest first. */
  replayed: string[];
  /** Dead letters this call did not re-publish, and why (not found, discarded, unreadable, failed). */
  skipped: { id: string; reason: string }[];
}

/**
 * DLQ replay: re-publishes a dead letter's original value, key and headers to its original
 * topic (plus the `dlq-replay-of` and `dlq-replay-id` headers, libs/contracts
 * dlq-replay-headers.ts) while the row is locked, and commits the status change only after the
 * broker acknowledged: one replay call, one message. The consumer that receives it re-drives it
 * as new work (the outbound-dispatcher's intake takes the replay id as a new command, so a kept
 * failed row never swallows it). If it fails again, its consumer dead-letters it anew, which
 * arrives here as a new dead letter.
 */
@Injectable()
export class DeadLetterReplay {
  private readonly logger = new Logger(DeadLetterReplay.name);

  constructor(private readonly dataSource: DataSource, private readonly publisher: EventPublisher) {}

  async replay(scope: DeadLetterScope, id: string, actor: string): Promise<DeadLetterEntity> {
    if (!isUuid(id)) throw AppError.notFound(`dead letter ${id}`);
    return this.dataSource.transaction(async (manager) => {
      const row = await scopedDeadLetters(manager, scope, { ids: [id] }).setLock('pessimistic_write').getOne();
      if (!row) throw AppError.notFound(`dead letter ${id}`);
      if (row.unreadable) throw new AppError('CONFLICT', `dead letter ${id} is unreadable (its envelope could not be parsed): there is no original message to replay`);
      if (row.status === 'discarded') throw new AppError('CONFLICT', `dead letter ${id} is discarded: discarded dead letters are not replayed`);
      try {
        // One replay id per replay call: a retried call (publish acknowledged, commit lost)
        // repeats it; the next replay of the same dead letter gets a new one.
        const replayId = deterministicUuid(`dlq-replay:${row.id}:${row.replayCount + 1}`);
        await this.publisher.republishRaw(row.originalTopic as SourceTopic, row.messageKey, row.payload, { ...row.headers, [REPLAY_OF_HEADER]: row.id, [DLQ_REPLAY_ID_HEADER]: replayId });
      } catch (error) {
        this.logger.warn({ msg: 'replay failed', deadLetterId: row.id, topic: row.originalTopic, err: error });
        throw new AppError('DEPENDENCY_UNAVAILABLE', `Kafka did not accept the replay of dead letter ${id}; nothing changed, try again`);
      }
      row.status = 'replayed';
      row.replayCount += 1;
      row.lastReplayedAt = new Date();
      row.lastActor = actor;
      await manager.update(DeadLetterEntity, { id: row.id }, { status: row.status, replayCount: row.replayCount, lastReplayedAt: row.lastReplayedAt, lastActor: actor });
      this.logger.log({ msg: 'replayed dead letter', deadLetterId: row.id, topic: row.originalTopic, replayCount: row.replayCount, actor });
      return row;
    });
  }

  /**
   * Replays the given ids, or every match of the filter (at most `limit`, oldest first so
   * messages of one key go back in their original order). Each replay is its own
   * transaction; one failure does not stop the others.
   */
  async bulkReplay(scope: DeadLetterScope, selection: { ids: string[] } | { filter: DeadLetterFilter; limit: number }, actor: string): Promise<BulkReplayResult> {
    const result: BulkReplayResult = { replayed: [], skipped: [] };
    let ids: string[];
    if ('ids' in selection) {
      const wanted = [...new Set(selection.ids.map((id) => id.toLowerCase()))];
      const found = await scopedDeadLetters(this.dataSource.manager, scope, { ids: wanted }).orderBy('d.created_at', 'ASC').addOrderBy('d.id', 'ASC').getMany();
      const foundIds = new Set(found.map((r) => r.id));
      for (const id of wanted) if (!foundIds.has(id)) result.skipped.push({ id, reason: 'not found' });
      ids = found.map((r) => r.id);
    } else {
      const found = await scopedDeadLetters(this.dataSource.manager, { ...scope }, { ...selection.filter })
        .andWhere('d.unreadable = false')
        .orderBy('d.created_at', 'ASC')
        .addOrderBy('d.id', 'ASC')
        .take(selection.limit)
        .getMany();
      ids = found.map((r) => r.id);
    }
    for (const id of ids) {
      try {
        await this.replay(scope, id, actor);
        result.replayed.push(id);
      } catch (error) {
        result.skipped.push({ id, reason: error instanceof Error ? error.message : String(error) });
      }
    }
    return result;
  }
}

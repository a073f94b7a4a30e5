import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Inbox } from '@incident-sync/persistence';
import { DeadLetterRecord, readDeadLetter } from './dead-letter-record';
import { DeadLetterEntity } from './dead-letter.entity';

/** Inbox consumer name of the `.dlq` topics. */
export const DEAD_LETTER_INBOX = 'dead-letters';

const ATTEMPTS = 5;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Stores each dead letter once (inbox on the deadLetterId). Unreadable envelopes are stored
 * raw instead of failing. A database failure is retried a few times and then thrown, so the
 * Kafka consumer redelivers the record rather than committing past it: a dead letter is
 * never lost, and there is no `.dlq.dlq` to send it to.
 */
@Injectable()
export class DeadLetterIngestService {
  private readonly logger = new Logger(DeadLetterIngestService.name);
  private readonly inbox: Inbox;

  constructor(dataSource: DataSource) {
    this.inbox = new Inbox(dataSource, DEAD_LETTER_INBOX);
  }

  async ingest(record: DeadLetterRecord, heartbeat?: () => Promise<void>): Promise<'stored' | 'duplicate'> {
    const { inboxKey, row } = readDeadLetter(record, new Date());
    if (row.unreadable) this.logger.warn({ msg: 'unreadable dead-letter envelope: stored raw', topic: record.topic, partition: record.partition, offset: record.offset, deadLetterId: row.id });
    for (let attempt = 1; ; attempt += 1) {
      try {
        const result = await this.inbox.runOnce(inboxKey, async (manager) => {
          await manager.createQueryBuilder().insert().into(DeadLetterEntity).values(row).orIgnore().execute();
        });
        return result.processed ? 'stored' : 'duplicate';
      } catch (error) {
        if (attempt >= ATTEMPTS) throw error;
        const delay = Math.min(5000, 200 * 2 ** (attempt - 1));
        this.logger.warn({ msg: 'storing dead letter failed; retrying', deadLetterId: row.id, retryInMs: delay, err: error });
        await sleep(delay);
        await heartbeat?.().catch(() => undefined);
      }
    }
  }
}

import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DATABASE_SCHEMA } from './ingress-counter.repository';

export const RETENTION_HOURS = Symbol('RETENTION_HOURS');
const SWEEP_EVERY_MS = 15 * 60 * 1000;

/**
 * Deletes receipts older than the dedupe window. PagerDuty retries a delivery for up to
 * 48 h (FACTS §1.5), so the window (WEBHOOK_DEDUPE_RETENTION_HOURS, min 48) outlives retries.
 */
@Injectable()
export class ReceiptRetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReceiptRetentionService.name);
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly dataSource: DataSource, @Inject(DATABASE_SCHEMA) private readonly schema: string, @Inject(RETENTION_HOURS) private readonly hours: number) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), SWEEP_EVERY_MS);
    this.timer.unref();
    void this.sweep();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async sweep(): Promise<number> {
    try {
      const [, count] = (await this.dataSource.query(
        `DELETE FROM "${this.schema}"."webhook_receipt" WHERE "received_at" < now() - make_interval(hours => $1)`,
        [this.hours],
      )) as [unknown, number];
      if (count > 0) this.logger.log({ msg: 'pruned old receipts', count, olderThanHours: this.hours });
      return count;
    } catch (error) {
      this.logger.warn({ msg: 'receipt pruning failed, will retry', err: error });
      return 0;
    }
  }
}

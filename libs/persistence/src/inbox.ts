import { DataSource, EntityManager } from 'typeorm';
import { schemaOf } from './schema-of';

/**
 * Exactly-once effects on at-least-once delivery (ARCHITECTURE §4): the message id is
 * recorded in the same transaction as the work it causes. A redelivered message finds its id
 * and does nothing; a crash before commit leaves neither, so the redelivery does the work.
 */
export class Inbox {
  private readonly table: string;

  constructor(private readonly dataSource: DataSource, private readonly consumer: string) {
    this.table = `"${schemaOf(dataSource)}"."inbox_message"`;
  }

  async runOnce<T>(messageId: string, work: (manager: EntityManager) => Promise<T>): Promise<{ processed: true; result: T } | { processed: false }> {
    return this.dataSource.transaction(async (manager) => {
      const inserted: unknown[] = await manager.query(
        `INSERT INTO ${this.table} ("consumer", "message_id") VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING "message_id"`,
        [this.consumer, messageId],
      );
      if (inserted.length === 0) return { processed: false as const };
      return { processed: true as const, result: await work(manager) };
    });
  }

  async hasProcessed(messageId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM ${this.table} WHERE "consumer" = $1 AND "message_id" = $2`, [this.consumer, messageId]);
    return rows.length > 0;
  }
}

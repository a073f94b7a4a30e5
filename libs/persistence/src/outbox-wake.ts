import { Logger } from '@nestjs/common';
import { Client, ClientConfig } from 'pg';
import { DataSource, EntityManager } from 'typeorm';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]*$/;

/**
 * The NOTIFY channel on which a commit that added outbox rows wakes its schema's relay
 * (issue #16: the relay published only on its next poll, up to 50 ms later, at every hop).
 * Schema names are plain lower-case identifiers (schemaOf), so the channel needs no quoting.
 */
export function outboxChannel(schema: string): string {
  return `outbox_relay_${schema}`;
}

/**
 * Inside the caller's transaction, after an outbox insert: PostgreSQL delivers the
 * notification only if and when the transaction commits (never on rollback), once per
 * transaction however many rows it added. Without a usable schema (or a manager without its
 * DataSource) nothing is sent: the relay's poll still finds the rows.
 */
export async function notifyOutboxCommit(manager: EntityManager): Promise<void> {
  const schema = (manager.connection?.options as { schema?: string } | undefined)?.schema;
  if (!schema || !SCHEMA_NAME.test(schema) || outboxChannel(schema).length > 63) return;
  await manager.query(`SELECT pg_notify($1, '')`, [outboxChannel(schema)]);
}

/**
 * Listens on a schema's outbox channel over a connection of its own (same settings as the
 * DataSource's pool, not one of its connections) and calls `onWake` for every commit that
 * added outbox rows, and once after every (re)connect for what committed while it was not
 * listening. It is only a shortcut: when the connection drops (database restart) it
 * reconnects after `retryMs`, and the relay's poll keeps publishing meanwhile.
 */
export class OutboxWakeListener {
  private readonly logger = new Logger(OutboxWakeListener.name);
  private client: Client | null = null;
  private stopped = true;
  private retry: NodeJS.Timeout | null = null;

  constructor(private readonly dataSource: DataSource, private readonly schema: string, private readonly onWake: () => void, private readonly retryMs = 1000) {}

  start(): void {
    const config = poolConfigOf(this.dataSource);
    if (!this.stopped || !config || !SCHEMA_NAME.test(this.schema)) return;
    this.stopped = false;
    void this.connect(config);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    const client = this.client;
    this.client = null;
    if (client) await client.end().catch(() => undefined);
  }

  /** True while a connection is listening (for tests and diagnostics). */
  get listening(): boolean {
    return this.client !== null;
  }

  private async connect(config: ClientConfig): Promise<void> {
    const client = new Client(config);
    let lost = false;
    const onLost = (error?: unknown) => {
      if (lost) return;
      lost = true;
      client.removeAllListeners('notification');
      if (this.client === client) this.client = null;
      void client.end().catch(() => undefined);
      if (this.stopped || this.retry) return;
      this.logger.warn({ msg: 'outbox wake-up connection lost; the relay polls until it is back', schema: this.schema, err: error instanceof Error ? error.message : undefined });
      this.retry = setTimeout(() => {
        this.retry = null;
        if (!this.stopped) void this.connect(config);
      }, this.retryMs);
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', () => this.onWake());
    try {
      await client.connect();
      await client.query(`LISTEN ${outboxChannel(this.schema)}`);
    } catch (error) {
      onLost(error);
      return;
    }
    if (this.stopped || lost) {
      lost = true;
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.onWake();
  }
}

/** The connection settings TypeORM gave its pg pool, or null when the driver is not pg's. */
function poolConfigOf(dataSource: DataSource): ClientConfig | null {
  const pool = (dataSource.driver as unknown as { master?: { options?: ClientConfig } }).master;
  if (!pool?.options) return null;
  const { connectionString, host, port, user, password, database, ssl, connectionTimeoutMillis } = pool.options;
  return { connectionString, host, port, user, password, database, ssl, connectionTimeoutMillis, application_name: 'outbox-relay-wake' };
}

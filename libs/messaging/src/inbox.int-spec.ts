import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { testStack } from '@incident-sync/testing';
import { Inbox, InboxMessageEntity, inboxOutboxV1Up, OutboxMessageEntity } from '@incident-sync/persistence';

const schema = `it_inbox_${randomUUID().slice(0, 8)}`;

/**
 * libs/persistence's inbox on the real database: exactly-once effects for at-least-once
 * delivery (ARCHITECTURE §4). It lives here, beside the relay's int specs, because a spec in
 * libs/persistence cannot use libs/testing (which depends on persistence).
 */
describe('Inbox.runOnce on PostgreSQL', () => {
  let dataSource: DataSource;
  const effects = async (id: string): Promise<number> =>
    Number((await dataSource.query(`SELECT count(*)::int AS n FROM "${schema}"."effect" WHERE "message_id" = $1`, [id]))[0].n);
  const recordEffect = (id: string) => async (em: import('typeorm').EntityManager): Promise<string> => {
    await em.query(`INSERT INTO "${schema}"."effect" ("message_id") VALUES ($1)`, [id]);
    return `did ${id}`;
  };

  beforeAll(async () => {
    const admin = new Client({ connectionString: testStack.databaseUrl });
    await admin.connect();
    await admin.query(`CREATE SCHEMA "${schema}"`);
    for (const sql of inboxOutboxV1Up(schema)) await admin.query(sql);
    await admin.query(`CREATE TABLE "${schema}"."effect" ("n" serial PRIMARY KEY, "message_id" text NOT NULL)`);
    await admin.end();
    dataSource = await new DataSource({ type: 'postgres', url: testStack.databaseUrl, schema, entities: [InboxMessageEntity, OutboxMessageEntity] }).initialize();
  });

  afterAll(async () => {
    await dataSource?.query(`DROP SCHEMA "${schema}" CASCADE`);
    await dataSource?.destroy();
  });

  it('given a message delivered twice, then its work runs once and the second delivery reports it was not processed', async () => {
    const inbox = new Inbox(dataSource, 'consumer-a');
    const id = randomUUID();
    expect(await inbox.runOnce(id, recordEffect(id))).toEqual({ processed: true, result: `did ${id}` });
    expect(await inbox.runOnce(id, recordEffect(id))).toEqual({ processed: false });
    expect(await effects(id)).toBe(1);
    expect(await inbox.hasProcessed(id)).toBe(true);
  });

  it('given the same message id at two consumers, then each consumer does its own work once', async () => {
    const id = randomUUID();
    await new Inbox(dataSource, 'consumer-a').runOnce(id, recordEffect(id));
    const other = await new Inbox(dataSource, 'consumer-b').runOnce(id, recordEffect(id));
    expect(other.processed).toBe(true);
    expect(await effects(id)).toBe(2);
  });

  it('given work that fails, then neither its effect nor the inbox row is kept, and the redelivery does the work', async () => {
    const inbox = new Inbox(dataSource, 'consumer-a');
    const id = randomUUID();
    await expect(inbox.runOnce(id, async (em) => { await recordEffect(id)(em); throw new Error('crash before commit'); })).rejects.toThrow('crash before commit');
    expect(await effects(id)).toBe(0);
    expect(await inbox.hasProcessed(id)).toBe(false);
    expect((await inbox.runOnce(id, recordEffect(id))).processed).toBe(true);
    expect(await effects(id)).toBe(1);
  });

  it('given ten concurrent deliveries of one message, then exactly one does the work', async () => {
    const inbox = new Inbox(dataSource, 'consumer-a');
    const id = randomUUID();
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => inbox.runOnce(id, recordEffect(id))));
    expect(outcomes.filter((o) => o.processed)).toHaveLength(1);
    expect(await effects(id)).toBe(1);
  });
});

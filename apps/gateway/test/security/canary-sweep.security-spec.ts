import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { testStack, waitFor } from '@incident-sync/testing';
import { LeakLedger, ledgerSummary } from './support/raw-http';
import { RUN_DIR, savedLedgers, SecurityWorld, securityWorld, watchWorld, WorldClient } from './support/security-world';

/**
 * Last file of the tier. Organization A's integration holds a canary PagerDuty token and a
 * canary webhook secret (plus the signing secret PagerDuty generated for its subscription);
 * they were used all along: connection tests, creates, updates, notes, a write PagerDuty
 * refused, webhooks verified. None of them may appear in any answer, service log, Kafka
 * message (every topic, DLQs included), dead letter or database row. The token's only
 * legitimate place, the Authorization header sent to PagerDuty, is redacted by the
 * simulator's request log, which is searched too.
 */
describe('canary token and webhook secrets appear nowhere (security)', () => {
  const ledger = new LeakLedger();
  const client = new WorldClient(ledger);
  let world: SecurityWorld;

  /** A ledger of its own per place searched, with the world's markers. */
  const search = (texts: Iterable<[where: string, text: string]>): { scanned: number; findings: string[] } => {
    const place = new LeakLedger();
    watchWorld(place, world);
    for (const [where, text] of texts) place.scan(where, text);
    return { scanned: place.scanned, findings: ledgerSummary(place) };
  };

  beforeAll(async () => {
    world = await securityWorld(client);
    // One more use of the secrets: a person's note in PagerDuty comes back as a signed webhook.
    const note = `canary sweep note ${Date.now()}`;
    const acted = await client.simControl('POST', `/sim/incidents/${world.a.pdIncidentId}/notes`, { as: 'alice@example.com', content: note });
    expect(acted.status).toBeLessThan(300);
    await waitFor(async () => (await client.ok('GET', `/api/v1/incidents/${world.a.incidentId}/timeline`, world.a.apiKey)).data.some((e: any) => String(e.message ?? e.new_value ?? '').includes(note)), { what: 'the PagerDuty note on A\'s timeline', timeoutMs: 90000, intervalMs: 500 });
  });

  afterAll(() => client.close());

  it('not in any service log', () => {
    const dir = join(RUN_DIR, 'logs');
    const files = readdirSync(dir).filter((f) => f.endsWith('.log'));
    expect(files.length).toBeGreaterThanOrEqual(8);
    const result = search(files.map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
    expect(result.findings).toEqual([]);
  });

  it('not in any Kafka message of any topic (DLQs included)', async () => {
    const kafka = new Kafka({ clientId: 'security-canary-sweep', brokers: testStack.kafkaBrokers, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const topics = (await admin.listTopics()).filter((t) => !t.startsWith('__'));
    const pending = new Map<string, number>();
    for (const topic of topics) {
      for (const p of await admin.fetchTopicOffsets(topic)) if (Number(p.high) > Number(p.low)) pending.set(`${topic}:${p.partition}`, Number(p.high));
    }
    await admin.disconnect();
    expect(topics.some((t) => t.endsWith('.dlq'))).toBe(true);
    const texts: [string, string][] = [];
    const consumer = kafka.consumer({ groupId: `security-canary-sweep-${Date.now()}` });
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    const done = new Promise<void>((resolve) => {
      if (pending.size === 0) resolve();
      void consumer.run({
        eachMessage: async ({ topic, partition, message }) => {
          const headers = Object.entries(message.headers ?? {}).map(([k, v]) => `${k}=${String(v)}`).join(';');
          texts.push([`${topic}[${partition}]@${message.offset}`, `${message.key?.toString('utf8') ?? ''}\n${headers}\n${message.value?.toString('utf8') ?? ''}`]);
          const key = `${topic}:${partition}`;
          if ((pending.get(key) ?? 0) <= Number(message.offset) + 1) pending.delete(key);
          if (pending.size === 0) resolve();
        },
      });
    });
    await Promise.race([done, new Promise((_, reject) => setTimeout(() => reject(new Error(`Kafka sweep incomplete: ${[...pending.keys()].join(', ')}`)), 180000))]);
    await consumer.disconnect();
    console.log(`canary sweep: ${texts.length} Kafka messages on ${topics.length} topics`);
    expect(texts.length).toBeGreaterThan(0);
    expect(search(texts).findings).toEqual([]);
  });

  it('not in any dead letter (read through the dlq-manager API, every organization and the unattributed ones)', async () => {
    let read = 0;
    for (const [key, org] of [[world.a.apiKey, undefined], [world.b.apiKey, undefined], [testStack.adminApiKey, undefined], [testStack.adminApiKey, world.a.org]] as [string, string | undefined][]) {
      const headers: Record<string, string> = org ? { 'x-organization-id': org } : {};
      for (let offset = 0; ; offset += 200) {
        const page = await client.ok('GET', `/api/v1/dlq?status=pending,replayed,discarded&limit=200&offset=${offset}`, key, undefined, headers);
        for (const letter of page.data) {
          await client.ok('GET', `/api/v1/dlq/${letter.id}`, key, undefined, headers);
          read += 1;
        }
        if (page.data.length < 200) break;
      }
    }
    console.log(`canary sweep: ${read} dead letters read`);
    expect(read).toBeGreaterThanOrEqual(1);
    expect(ledgerSummary(ledger)).toEqual([]);
  });

  it('not in any database row (pg_dump of the test database; the secrets are stored only as AES-GCM ciphertext)', () => {
    const dump = execFileSync('pg_dump', ['--data-only', '--no-owner', testStack.databaseUrl], { maxBuffer: 1024 * 1024 * 1024, encoding: 'utf8' });
    expect(dump).toContain(world.a.integrationId);
    expect(search([['pg_dump', dump]]).findings).toEqual([]);
  });

  it('not in the simulator\'s request and delivery logs (Authorization, the token\'s one legitimate place, is redacted there)', async () => {
    const requests = await client.simControl('GET', '/sim/requests?since=0');
    const deliveries = await client.simControl('GET', '/sim/deliveries?since=0');
    expect(requests.status).toBe(200);
    expect(deliveries.status).toBe(200);
    expect(ledgerSummary(ledger)).toEqual([]);
  });

  it('not in any answer any file of the tier received (bodies and headers, recorded by each file\'s client)', () => {
    const ledgers = savedLedgers();
    console.log(`canary sweep: answers scanned per file ${JSON.stringify(Object.fromEntries(Object.entries(ledgers).map(([f, l]) => [f, l.scanned])))}`);
    expect(ledgerSummary(ledger)).toEqual([]);
    expect(Object.entries(ledgers).filter(([, l]) => l.findings.length > 0)).toEqual([]);
  });
});

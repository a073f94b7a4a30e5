import { randomUUID } from 'node:crypto';
import { AppError, httpStatusOf } from '@incident-sync/contracts';
import { IntegrationConfigApi, IntegrationConfigUnavailableError, IntegrationLookup, IntegrationRuntimeConfig } from '@incident-sync/integration-config-client';
import { signWebhookBody } from '@incident-sync/pagerduty';
import { DataSource } from 'typeorm';
import { IngressCounterRepository } from './ingress-counter.repository';
import { ReceiptWriter } from './receipt-writer';
import { ReceiveWebhookService } from './receive-webhook.service';

const ID = randomUUID();
const config = (secrets: string[], enabled = true): IntegrationRuntimeConfig => ({ id: ID, organizationId: 'org', webhookSecrets: secrets, enabled } as IntegrationRuntimeConfig);
const body = Buffer.from(JSON.stringify({ event: { id: 'E1', event_type: 'incident.resolved', resource_type: 'incident', occurred_at: '2026-01-01T00:00:00.000Z', data: { id: 'P1', type: 'incident' } } }));

/** integration-config's internal API with scripted answers (it is another service); counts every request. */
class ScriptedConfig implements IntegrationConfigApi {
  answers: (IntegrationRuntimeConfig | null | Error)[] = [];
  calls = 0;
  async byId(): Promise<IntegrationRuntimeConfig | null> {
    const answer = this.answers[Math.min(this.calls, this.answers.length - 1)] ?? null;
    this.calls += 1;
    if (answer instanceof Error) throw answer;
    return answer;
  }
  async inOrganization(): Promise<IntegrationRuntimeConfig | null> {
    throw new Error('not used by deliveries');
  }
  async summaries(): Promise<never[]> {
    throw new Error('not used by deliveries');
  }
}

const counters = { count: async () => undefined, countBatch: async () => undefined } as unknown as IngressCounterRepository;
/** A database that stores whatever it is given: receipts come back as inserted. */
const storing = { transaction: (work: (em: unknown) => Promise<unknown>) => work({ query: async (sql: string, params: unknown[][]) => (sql.includes('webhook_receipt') ? (params[0] as string[]).map((id) => ({ receipt_id: id })) : []) }) } as unknown as Partial<DataSource>;
const statusOf = async (promise: Promise<unknown>): Promise<number> => {
  try {
    await promise;
    return 202;
  } catch (error) {
    return error instanceof AppError ? httpStatusOf(error.code) : 500;
  }
};

function service(client: ScriptedConfig, dataSource: Partial<DataSource>, lookup = new IntegrationLookup(client, { ttlMs: 60000 })): ReceiveWebhookService {
  return new ReceiveWebhookService(new ReceiptWriter(dataSource as DataSource, counters, 'webhook_ingress'), lookup, counters);
}

describe('ReceiveWebhookService failure mapping (PagerDuty retries 5xx, drops 4xx for good)', () => {
  it('integration-config unreachable → 503; unknown → 404; disabled (paused) → verified like any other, never 404', async () => {
    const client = new ScriptedConfig();
    client.answers = [new IntegrationConfigUnavailableError('integration-config is unreachable: ECONNREFUSED')];
    expect(await statusOf(service(client, {}).receive(ID, body, { signature: signWebhookBody('s', body), webhookId: 'w' }))).toBe(503);
    client.answers = [null];
    expect(await statusOf(service(client, {}).receive(ID, body, { signature: signWebhookBody('s', body), webhookId: 'w' }))).toBe(404);
    client.answers = [config(['s'], false)];
    expect(await statusOf(service(client, {}).receive(ID, body, { signature: signWebhookBody('other', body), webhookId: 'w' }))).toBe(401);
    client.answers = [config(['s'], false)];
    const stored = service(client, storing);
    await expect(stored.receive(ID, body, { signature: signWebhookBody('s', body), webhookId: 'w' })).resolves.toEqual({ status: 'accepted', receiptId: expect.any(String) });
  });

  it('a path that is not a UUID is a 404 before any lookup', async () => {
    const client = new ScriptedConfig();
    client.answers = [config(['s'])];
    for (const path of ['prod-pd', '..', ID.slice(1), `${ID}x`, ' ', '%00']) {
      expect(await statusOf(service(client, {}).receive(path, body, { signature: signWebhookBody('s', body), webhookId: 'w' }))).toBe(404);
    }
    expect(client.calls).toBe(0);
  });

  it('a flood of deliveries to random UUIDs and random strings answers 404 and leaves the caches within their bounds', async () => {
    const client = new ScriptedConfig();
    client.answers = [null];
    const lookup = new IntegrationLookup(client, { ttlMs: 60000, maxEntries: 100, missMaxEntries: 20 });
    const receiver = service(client, {}, lookup);
    const statuses = new Set<number>();
    for (let i = 0; i < 500; i += 1) {
      statuses.add(await statusOf(receiver.receive(randomUUID(), body, { signature: signWebhookBody('s', body), webhookId: 'w' })));
      statuses.add(await statusOf(receiver.receive(`not-a-uuid-${i}`, body, { signature: signWebhookBody('s', body), webhookId: 'w' })));
    }
    expect([...statuses]).toEqual([404]);
    expect(lookup.sizes()).toEqual({ configs: 0, misses: 20, slugs: 0, organizations: 0 });
    expect(client.calls).toBe(500);
  });

  it('the database failing while storing → 503, never a 4xx', async () => {
    const client = new ScriptedConfig();
    client.answers = [config(['s'])];
    const down = { transaction: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')) } as unknown as Partial<DataSource>;
    expect(await statusOf(service(client, down).receive(ID, body, { signature: signWebhookBody('s', body), webhookId: 'w' }))).toBe(503);
  });

  it('a signature made with a secret rotated in after our cache was filled verifies after one re-read, and re-reads are throttled', async () => {
    const client = new ScriptedConfig();
    client.answers = [config(['old']), config(['new', 'old'])];
    const receiver = service(client, storing);
    const outcome = await receiver.receive(ID, body, { signature: signWebhookBody('new', body), webhookId: 'w' });
    expect(outcome.status).toBe('accepted');
    expect(client.calls).toBe(2);
    // Wrong signatures right after: no further re-read within the throttle window.
    for (let i = 0; i < 5; i += 1) expect(await statusOf(receiver.receive(ID, body, { signature: signWebhookBody('wrong', body), webhookId: 'w' }))).toBe(401);
    expect(client.calls).toBe(2);
  });

  it('a bad signature is a 401 before the body is even parsed, and stores nothing', async () => {
    const client = new ScriptedConfig();
    client.answers = [config(['s'])];
    const never = { transaction: () => { throw new Error('must not store'); } } as unknown as Partial<DataSource>;
    expect(await statusOf(service(client, never).receive(ID, Buffer.from('not json'), { signature: signWebhookBody('other', body), webhookId: 'w' }))).toBe(401);
    expect(await statusOf(service(client, never).receive(ID, body, { signature: undefined, webhookId: 'w' }))).toBe(401);
  });
});

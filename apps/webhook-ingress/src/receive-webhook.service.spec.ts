import { AppError, httpStatusOf } from '@incident-sync/contracts';
import { IntegrationConfigClient, IntegrationNotFoundError, IntegrationRuntimeConfig } from '@incident-sync/integration-config-client';
import { signWebhookBody } from '@incident-sync/pagerduty';
import { DataSource } from 'typeorm';
import { IngressCounterRepository } from './ingress-counter.repository';
import { IntegrationDirectory } from './integration-directory.service';
import { ReceiveWebhookService } from './receive-webhook.service';

const config = (secrets: string[], enabled = true): IntegrationRuntimeConfig => ({ id: 'int-1', organizationId: 'org', webhookSecrets: secrets, enabled } as IntegrationRuntimeConfig);
const body = Buffer.from(JSON.stringify({ event: { id: 'E1', event_type: 'incident.resolved', resource_type: 'incident', occurred_at: '2026-01-01T00:00:00.000Z', data: { id: 'P1', type: 'incident' } } }));

/** A config client whose answers the test scripts (integration-config is another service). */
class ScriptedConfig {
  answers: (IntegrationRuntimeConfig | Error)[] = [];
  calls = 0;
  async get(): Promise<IntegrationRuntimeConfig> {
    const answer = this.answers[Math.min(this.calls, this.answers.length - 1)]!;
    this.calls += 1;
    if (answer instanceof Error) throw answer;
    return answer;
  }
  invalidations = 0;
  invalidate(): void {
    this.invalidations += 1;
  }
}

const counters = { count: async () => undefined, countAccepted: async () => undefined } as unknown as IngressCounterRepository;
const statusOf = async (promise: Promise<unknown>): Promise<number> => {
  try {
    await promise;
    return 202;
  } catch (error) {
    return error instanceof AppError ? httpStatusOf(error.code) : 500;
  }
};

function service(client: ScriptedConfig, dataSource: Partial<DataSource>): ReceiveWebhookService {
  return new ReceiveWebhookService(dataSource as DataSource, new IntegrationDirectory(client as unknown as IntegrationConfigClient), counters, 'webhook_ingress');
}

describe('ReceiveWebhookService failure mapping (PagerDuty retries 5xx, drops 4xx for good)', () => {
  it('integration-config unreachable → 503; unknown → 404; disabled → 404', async () => {
    const client = new ScriptedConfig();
    client.answers = [new Error('ECONNREFUSED')];
    expect(await statusOf(service(client, {}).receive('int-1', body, { signature: signWebhookBody('s', body), webhookId: 'w' }))).toBe(503);
    client.answers = [new IntegrationNotFoundError('int-1')];
    expect(await statusOf(service(client, {}).receive('int-1', body, { signature: signWebhookBody('s', body), webhookId: 'w' }))).toBe(404);
    client.answers = [config(['s'], false)];
    expect(await statusOf(service(client, {}).receive('int-1', body, { signature: signWebhookBody('s', body), webhookId: 'w' }))).toBe(404);
  });

  it('the database failing while storing → 503, never a 4xx', async () => {
    const client = new ScriptedConfig();
    client.answers = [config(['s'])];
    const down = { transaction: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')) } as unknown as Partial<DataSource>;
    expect(await statusOf(service(client, down).receive('int-1', body, { signature: signWebhookBody('s', body), webhookId: 'w' }))).toBe(503);
  });

  it('a signature made with a secret rotated in after our cache was filled verifies after one re-read', async () => {
    const client = new ScriptedConfig();
    client.answers = [config(['old']), config(['new', 'old'])];
    const stored = { transaction: (work: (em: unknown) => Promise<unknown>) => work({ query: async () => [{ receipt_id: 'r' }], insert: async () => undefined }) } as unknown as Partial<DataSource>;
    const outcome = await service(client, stored).receive('int-1', body, { signature: signWebhookBody('new', body), webhookId: 'w' });
    expect(outcome.status).toBe('accepted');
    expect(client.calls).toBe(2);
  });

  it('a bad signature is a 401 before the body is even parsed, and stores nothing', async () => {
    const client = new ScriptedConfig();
    client.answers = [config(['s'])];
    const never = { transaction: () => { throw new Error('must not store'); } } as unknown as Partial<DataSource>;
    expect(await statusOf(service(client, never).receive('int-1', Buffer.from('not json'), { signature: signWebhookBody('other', body), webhookId: 'w' }))).toBe(401);
    expect(await statusOf(service(client, never).receive('int-1', body, { signature: undefined, webhookId: 'w' }))).toBe(401);
  });
});

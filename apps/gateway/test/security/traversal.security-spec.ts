import { testStack } from '@incident-sync/testing';
import { inPool, dataFound } from './support/pool';
import { ROUTE_PREFIXES } from './support/public-routes';
import { LeakLedger, ledgerSummary } from './support/raw-http';
import { saveLedger, SecurityWorld, securityWorld, WorldClient } from './support/security-world';
import { TRAVERSAL_ENCODINGS, traversalPath } from './support/traversal-encodings';

/**
 * Issue #12: the gateway routed on the raw URL and its HTTP client removed dot segments
 * afterwards, so `/api/v1/integrations/../../../internal/v1/integrations` reached
 * integration-config's internal API with the internal token (every organization's decrypted
 * PagerDuty tokens). Every route prefix × every traversal spelling × every internal target,
 * sent byte for byte (no client-side normalisation): 400 or 404, and nothing in the answer.
 */
describe('path traversal through the gateway (security)', () => {
  const ledger = new LeakLedger();
  const client = new WorldClient(ledger);
  let world: SecurityWorld;

  beforeAll(async () => {
    world = await securityWorld(client);
  });

  afterAll(() => {
    saveLedger('traversal', ledger);
    client.close();
  });

  const targets = (w: SecurityWorld): { name: string; method: string; path: string; body?: string }[] => [
    { name: 'every integration, decrypted', method: 'GET', path: 'internal/v1/integrations' },
    { name: 'A\'s integration, decrypted', method: 'GET', path: `internal/v1/integrations/${w.a.integrationId}` },
    { name: 'ingress counters', method: 'GET', path: `internal/v1/ingress/status/${w.a.integrationId}` },
    { name: 'dead-letter counts', method: 'GET', path: 'internal/v1/dead-letters/count' },
    { name: 'API key resolution', method: 'POST', path: 'internal/v1/api-keys/resolve', body: JSON.stringify({ api_key: w.a.apiKey }) },
    {
      name: 'A\'s incident announced for a backfill', method: 'POST', path: `internal/v1/incidents/${w.a.incidentId}/backfill-announce`,
      body: JSON.stringify({ organization_id: w.a.org, integration_id: w.a.integrationId, job_id: '00000000-0000-4000-8000-000000000000', event_id: '00000000-0000-4000-8000-000000000001' }),
    },
    { name: 'another service\'s health', method: 'GET', path: 'health/ready' },
  ];

  const markers = (w: SecurityWorld): string[] => [w.a.name, w.b.name, w.canary.token, w.canary.webhookSecret, w.canary.subscriptionSecret, 'sim-account-token', w.a.org];

  async function sweep(prefixes: readonly string[], key: string | undefined): Promise<{ tried: number; problems: string[] }> {
    const cases = prefixes.flatMap((prefix) => TRAVERSAL_ENCODINGS.flatMap((encoding) => targets(world).map((target) => ({ prefix, encoding, target }))));
    const problems: string[] = [];
    await inPool(cases, 12, async ({ prefix, encoding, target }) => {
      const filled = prefix.replace('{integration}', prefix.startsWith('/api/v1/webhooks') ? world.a.integrationId : world.b.integrationId);
      const path = traversalPath(filled, encoding, target.path);
      const headers: Record<string, string> = { accept: 'application/json' };
      if (key) headers.authorization = `Bearer ${key}`;
      if (target.body) headers['content-type'] = 'application/json';
      const answer = await client.gateway.send({ method: target.method, path, headers, body: target.body });
      const found = dataFound(answer.text, markers(world));
      if (![400, 404].includes(answer.status) || found.length > 0) {
        problems.push(`${prefix} ${encoding.name} → ${target.name}: ${answer.status}${found.length ? ` carrying ${found.join(', ')}` : ''} ${JSON.stringify(path.slice(0, 120))}`);
      }
    });
    return { tried: cases.length, problems };
  }

  it('every route prefix × ≥30 encodings × every internal target, with another organization\'s key: 400/404 and no data', async () => {
    const prefixes = ROUTE_PREFIXES;
    const { tried, problems } = await sweep(prefixes, world.b.apiKey);
    console.log(`traversal with an organization key: ${tried} requests over ${prefixes.length} prefixes × ${TRAVERSAL_ENCODINGS.length} encodings; ${problems.length} failed`);
    expect(tried).toBeGreaterThanOrEqual(prefixes.length * 30);
    expect(problems.slice(0, 40)).toEqual([]);
  });

  it('the public webhook prefixes without any key: 400/404 and no data', async () => {
    const prefixes = ROUTE_PREFIXES.filter((p) => p.startsWith('/api/v1/webhooks'));
    const { tried, problems } = await sweep(prefixes, undefined);
    console.log(`traversal without a key: ${tried} requests; ${problems.length} failed`);
    expect(problems.slice(0, 40)).toEqual([]);
  });

  it('the issue\'s two reproductions, exactly as reported', async () => {
    const withKey = await client.gateway.send({ method: 'GET', path: '/api/v1/integrations/../../../internal/v1/integrations', headers: { authorization: `Bearer ${world.b.apiKey}` } });
    const encoded = await client.gateway.send({ method: 'GET', path: '/api/v1/integrations/%2e%2e/%2e%2e/%2e%2e/internal/v1/integrations', headers: { authorization: `Bearer ${world.b.apiKey}` } });
    const anonymous = await client.gateway.send({ method: 'GET', path: `/api/v1/webhooks/../../../internal/v1/ingress/status/${world.a.integrationId}`, headers: {} });
    for (const answer of [withKey, encoded, anonymous]) {
      expect([400, 404]).toContain(answer.status);
      expect(dataFound(answer.text, markers(world))).toEqual([]);
    }
  });

  it('internal routes asked for directly through the gateway (no traversal) are not there', async () => {
    // (/health/ready of the gateway is its own health, not another service's.)
    for (const target of targets(world).filter((t) => t.path.startsWith('internal/'))) {
      for (const key of [world.b.apiKey, testStack.adminApiKey, undefined]) {
        const answer = await client.gateway.json(target.method, `/${target.path}`, key, target.body);
        expect({ target: target.name, status: answer.status }).toEqual({ target: target.name, status: 404 });
        expect(dataFound(answer.text, markers(world))).toEqual([]);
      }
    }
  });

  it('no answer this file received carried a canary or secret marker', () => {
    expect(ledger.scanned).toBeGreaterThan(1000);
    expect(ledgerSummary(ledger)).toEqual([]);
  });
});

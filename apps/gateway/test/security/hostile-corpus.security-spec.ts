import fc from 'fast-check';
import { signWebhookBody } from '@incident-sync/pagerduty';
import { testStack } from '@incident-sync/testing';
import { CorpusContext, HostileRequest, hostileRequest, hostileWebhook } from './support/hostile-requests';
import { inPool } from './support/pool';
import { PUBLIC_ROUTES } from './support/public-routes';
import { HttpAnswer, LeakLedger, ledgerSummary } from './support/raw-http';
import { A_SERVICE, saveLedger, SecurityWorld, securityWorld, WorldClient } from './support/security-world';
import { differences, serviceHealth, settledState } from './support/stored-state';

/** Fixed by default so a failure replays; SECURITY_SEED=<n> replays another run, SECURITY_RUNS=<n> changes the size. */
const SEED = Number(process.env.SECURITY_SEED ?? 20261202);
const RUNS = Number(process.env.SECURITY_RUNS ?? 1000);

/** Signed deliveries of unknown event types are accepted (202) and stored by design. */
const WEBHOOK_EDGE = 'POST /api/v1/webhooks/:integrationId';

/** Problems with one answer: a 5xx (or none at all), a 4xx without the error body shape. */
function problemsOf(answer: HttpAnswer): string | null {
  if (answer.status === 0) return `no answer (connection closed: ${answer.text || 'no bytes'})`;
  if (answer.status >= 500) return `${answer.status} ${answer.text.slice(0, 160)}`;
  // Bytes no HTTP client sends (control characters in a header) are refused by the HTTP parser
  // before any application code: only "no 5xx" applies to those answers.
  if (answer.status >= 400 && !answer.raw) {
    const error = (answer.json as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    if (typeof error?.code !== 'string' || typeof error.message !== 'string') return `${answer.status} without the error body shape: ${answer.text.slice(0, 160)}`;
  }
  return null;
}

/**
 * A generated hostile corpus (fast-check) against every public route and the webhook
 * endpoint of the running product, with every dependency healthy: no answer ≥ 500, every
 * 4xx in the error body shape, no service exits, and nothing stored changes.
 */
describe(`hostile corpus, ${RUNS} requests per edge (security; SECURITY_SEED=${SEED})`, () => {
  const ledger = new LeakLedger();
  const client = new WorldClient(ledger);
  let world: SecurityWorld;
  let ctx: CorpusContext;
  let before: Record<string, unknown>;
  let pidsBefore: Record<string, string | null>;
  const tally: { edge: string; tried: number; failed: number; fiveHundreds: number }[] = [];

  beforeAll(async () => {
    console.log(`hostile corpus: SECURITY_SEED=${SEED} SECURITY_RUNS=${RUNS}`);
    world = await securityWorld(client);
    ctx = {
      orgKey: world.a.apiKey, adminKey: testStack.adminApiKey, org: world.a.org, simulatorUrl: testStack.simulatorUrl, webhookSecret: world.canary.webhookSecret,
      real: {
        integration: world.a.integrationId, incident: world.a.incidentId, conflict: world.a.conflictId, deadLetter: world.a.deadLetterId, apiKey: world.a.apiKeyId,
        webhookSecret: world.a.webhookSecretId, field: 'title', pdServiceId: A_SERVICE, email: 'alice@example.com', pdId: world.a.pdIncidentId,
      },
    };
    const health = await serviceHealth();
    pidsBefore = Object.fromEntries(Object.entries(health).map(([k, v]) => [k, v.pid]));
    before = await settledState(client, world);
  });

  afterAll(() => {
    saveLedger('hostile-corpus', ledger);
    console.log(`hostile corpus (seed ${SEED}) per edge:\n${tally.map((t) => `  ${t.edge}: ${t.tried} tried, ${t.fiveHundreds} ≥500, ${t.failed} failed`).join('\n')}`);
    client.close();
  });

  async function run(edge: string, requests: HostileRequest[]): Promise<string[]> {
    const failures: string[] = [];
    let fiveHundreds = 0;
    await inPool(requests, 12, async (request, i) => {
      const answer = await client.gateway.send({ method: request.method, path: request.path, headers: request.headers, body: request.body });
      // Every generated request carries at least one defect its route must refuse: a 2xx on a
      // route that changes state means a hostile request changed something.
      const accepted = request.method !== 'GET' && answer.status >= 200 && answer.status < 300 && edge !== WEBHOOK_EDGE;
      const problem = accepted ? `${answer.status} accepted: ${answer.text.slice(0, 160)}` : problemsOf(answer);
      if (answer.status >= 500 || answer.status === 0) fiveHundreds += 1;
      if (problem) failures.push(`#${i} ${request.method} ${request.path.slice(0, 100)} [${request.defects.join('; ')}]: ${problem}`);
    });
    tally.push({ edge, tried: requests.length, failed: failures.length, fiveHundreds });
    return failures;
  }

  const rest = PUBLIC_ROUTES.filter((r) => !r.webhook);
  it.each(rest.map((r, i) => [`${r.method} ${r.path}`, i] as const))('%s: no 5xx, 4xx in the error shape', async (edge, index) => {
    const route = rest[index]!;
    const requests = fc.sample(hostileRequest(route, ctx), { seed: SEED + index, numRuns: RUNS });
    const failures = await run(edge, requests);
    expect({ edge, failures: failures.length, first: failures.slice(0, 8) }).toEqual({ edge, failures: 0, first: [] });
  });

  it('POST /api/v1/webhooks/:integrationId (signed and unsigned deliveries): no 5xx, 4xx in the error shape', async () => {
    const requests = fc.sample(hostileWebhook(ctx, world.a.integrationId), { seed: SEED - 1, numRuns: RUNS });
    const failures = await run(WEBHOOK_EDGE, requests);
    expect({ failures: failures.length, first: failures.slice(0, 8) }).toEqual({ failures: 0, first: [] });
  });

  it('a signed delivery of 260 KB (PagerDuty sends up to 256 KB) is accepted', async () => {
    const body = JSON.stringify({ event: { id: `01SEC${Date.now()}`, event_type: 'incident.security_padding', resource_type: 'incident', occurred_at: new Date().toISOString(), agent: null, client: null, data: { id: 'PQPAD01', type: 'incident', details: 'p'.repeat(260 * 1024) } } });
    const answer = await client.gateway.send({ method: 'POST', path: `/api/v1/webhooks/${world.a.integrationId}`, headers: { 'content-type': 'application/json', 'x-pagerduty-signature': signWebhookBody(world.canary.webhookSecret, body) }, body });
    expect(answer.status).toBe(202);
  });

  it('afterwards every service still runs (same pid) and is ready', async () => {
    const health = await serviceHealth();
    for (const [svc, h] of Object.entries(health)) expect({ svc, pid: h.pid, alive: h.alive, ready: h.ready }).toEqual({ svc, pid: pidsBefore[svc], alive: true, ready: 200 });
  });

  it('nothing stored changed (integrations, rules, incidents, conflicts, dead letters, API keys)', async () => {
    const after = await settledState(client, world);
    expect(differences(before, after).slice(0, 30)).toEqual([]);
  });

  it('no answer this file received carried a canary or secret marker', () => {
    expect(ledger.scanned).toBeGreaterThan(RUNS);
    expect(ledgerSummary(ledger)).toEqual([]);
  });
});

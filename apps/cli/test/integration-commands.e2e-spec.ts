import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { ApiClient, testStack, uniqueId } from '@incident-sync/testing';

/**
 * The documented `im integration …` commands, typed as in the documentation, through the
 * real `bin/im` against the running TEST stack (gateway :18080, PagerDuty simulator :18090).
 * Only the commands that must reach PagerDuty point their base URL at the simulator.
 */
const IM = join(__dirname, '..', '..', '..', 'bin', 'im');
const ORG = 'acme-corp';

interface Run { code: number; stdout: string; stderr: string }

function im(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(IM, args, { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', IM_API_URL: testStack.gatewayUrl, ...env }, timeout: 60000 }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** The shell words of a documented command line (double quotes as the docs use them). */
const words = (line: string): string[] => (line.match(/"[^"]*"|\S+/g) ?? []).map((w) => w.replace(/^"|"$/g, ''));

describe('im integration: the documented commands against the running services', () => {
  const admin = new ApiClient(testStack.gatewayUrl, testStack.adminApiKey).withHeaders({ 'x-organization-id': ORG });
  let orgKey: string;
  let api: ApiClient;

  beforeAll(async () => {
    // Re-runnable: the documented names (acme-corp / prod-pd) are fixed.
    for (const slug of ['prod-pd', 'production-pagerduty']) await admin.delete(`/api/v1/integrations/${slug}`);
    const created = await im(['api-key', 'create', '--org', ORG, '--name', uniqueId('e2e'), '--format', 'json'], { IM_API_KEY: testStack.adminApiKey });
    expect(created).toMatchObject({ code: 0, stderr: '' });
    orgKey = JSON.parse(created.stdout).api_key as string;
    expect(orgKey).toMatch(/^isk_/);
    api = new ApiClient(testStack.gatewayUrl, orgKey);
  });

  afterAll(async () => {
    for (const slug of ['prod-pd', 'production-pagerduty']) await admin.delete(`/api/v1/integrations/${slug}`);
  });

  it('configures prod-pd exactly as documented and reaches the documented state', async () => {
    const env = { IM_API_KEY: orgKey };
    const documented = [
      'integration configure --name "Production PagerDuty" --slug prod-pd --type pagerduty --org acme-corp --base-url "https://api.pagerduty.com" --direction bidirectional --token "u+documented-token-7Q2x"',
      'integration field-ownership set prod-pd title --owner platform --priority 10',
      'integration field-ownership set prod-pd assigned_to --owner external --priority 5',
      'integration configure prod-pd --conflict-strategy manual-review',
      'integration configure prod-pd --sync-escalations true',
      'integration configure prod-pd --rate-limit 100 --backoff-multiplier 2',
      'integration service-mapping add prod-pd --pd-service "P123ABC" --incident-type "infrastructure"',
    ];
    for (const line of documented) {
      const run = await im(words(line), env);
      expect({ line, code: run.code, stderr: run.stderr }).toEqual({ line, code: 0, stderr: '' });
    }

    const integration = (await api.get('/api/v1/integrations/prod-pd')).body;
    expect(integration).toMatchObject({
      organization_id: ORG, slug: 'prod-pd', name: 'Production PagerDuty', integration_type: 'pagerduty',
      base_url: 'https://api.pagerduty.com', sync_direction: 'bidirectional', enabled: true,
      conflict_strategy: 'manual-review', sync_escalations: true, rate_limit: 100, backoff_multiplier: 2,
      credentials: { token: { set: true, last4: '7Q2x' } },
    });
    expect(JSON.stringify(integration)).not.toContain('documented-token');
    const ownership = (await api.get('/api/v1/integrations/prod-pd/field-ownership')).body.data;
    expect(ownership).toEqual(expect.arrayContaining([
      expect.objectContaining({ field: 'title', owner: 'platform', priority: 10 }),
      expect.objectContaining({ field: 'assigned_to', owner: 'external', priority: 5 }),
      expect.objectContaining({ field: 'escalation_policy', owner: 'external', is_default: true }),
    ]));
    const services = (await api.get('/api/v1/integrations/prod-pd/service-mappings')).body.data;
    expect(services).toEqual([expect.objectContaining({ pd_service_id: 'P123ABC', incident_type: 'infrastructure' })]);

    // Tables for people, JSON for scripts.
    const table = await im(['integration', 'list'], env);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^SLUG\s+NAME/m);
    expect(table.stdout).toMatch(/prod-pd\s+Production PagerDuty\s+pagerduty\s+bidirectional/);
    const json = await im(['integration', 'get', 'prod-pd', '--format', 'json'], env);
    expect(JSON.parse(json.stdout)).toMatchObject({ slug: 'prod-pd', rate_limit: 100 });
  });

  it('runs `im integration test prod-pd` against the simulator: every check with its latency; non-zero until From, secret and subscription are set', async () => {
    const env = { IM_API_KEY: orgKey };
    const repoint = await im(['integration', 'configure', 'prod-pd', '--base-url', testStack.simulatorUrl, '--token', 'sim-account-token'], env);
    expect(repoint).toMatchObject({ code: 0, stderr: '' });
    const run = await im(words('integration test prod-pd'), env);
    // Bidirectional with an account-level token: writes need From, deliveries need a secret and a subscription.
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: 4 of 7 checks failed: from_email, webhook_secret, webhook_subscription, webhook_self_test\.secret_configured\n$/);
    for (const check of ['base_url', 'token', 'abilities']) expect(run.stdout).toMatch(new RegExp(`^${check}\\s+ok\\s+\\d+ ms`, 'm'));
    for (const check of ['from_email', 'webhook_subscription']) expect(run.stdout).toMatch(new RegExp(`^${check}\\s+FAILED\\s+\\d+ ms`, 'm'));
    expect(run.stdout).toMatch(/^webhook_secret\s+FAILED\s+-\s+none stored.*fix: im integration configure prod-pd --create-webhook/m);
    expect(run.stdout).not.toContain('sim-account-token');

    // With a From user and a webhook subscription created for us, every check is plainly ok.
    const configured = await im(['integration', 'configure', 'prod-pd', '--from-email', 'incident-sync-bot@example.com', '--create-webhook', testStack.gatewayUrl], env);
    expect(configured).toMatchObject({ code: 0, stderr: '' });
    expect(configured.stdout).toMatch(/created PagerDuty webhook subscription \S+ → .*\/api\/v1\/webhooks\//);
    const json = await im(['integration', 'test', 'prod-pd', '--format', 'json'], env);
    expect(json.code).toBe(0);
    const result = JSON.parse(json.stdout);
    expect(result.ok).toBe(true);
    expect(result.checks.every((c: { ok: boolean; warning?: boolean; latency_ms: number | null }) => c.ok && !c.warning && (c.latency_ms === null || c.latency_ms >= 0))).toBe(true);
    expect(result.webhook_self_test).toMatchObject({ result: 'pass' });
    const integration = (await api.get('/api/v1/integrations/prod-pd')).body;
    expect(integration.bot_user_id).toBe('PBOT001');
    expect(integration.webhook_secrets).toHaveLength(1);
    expect(integration.webhook_subscription_id).toEqual(expect.any(String));
  });

  it('exits non-zero with one line naming the failed check when the token is rejected', async () => {
    const env = { IM_API_KEY: orgKey };
    expect((await im(['integration', 'configure', 'prod-pd', '--token', 'not-a-valid-token'], env)).code).toBe(0);
    const run = await im(['integration', 'test', 'prod-pd'], env);
    expect(run.code).not.toBe(0);
    expect(run.stdout).toMatch(/^token\s+FAILED/m);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^error: .*checks failed: token, /);
    await im(['integration', 'configure', 'prod-pd', '--token', 'sim-account-token'], env);
  });

  it('accepts the documented curl body through the gateway', async () => {
    const res = await api.post('/api/v1/integrations', {
      organization_id: 'acme-corp', integration_type: 'pagerduty', name: 'Production PagerDuty',
      base_url: 'https://api.pagerduty.com', credentials: { token: 'u+curl-token-ZZ99' },
      sync_direction: 'bidirectional', enabled: true,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ slug: 'production-pagerduty', organization_id: ORG, credentials: { token: { set: true, last4: 'ZZ99' } } });
  });

  it('reports bad input and other organizations as one-line errors with exit 1, changing nothing', async () => {
    const env = { IM_API_KEY: orgKey };
    const before = (await api.get('/api/v1/integrations/prod-pd')).body;
    const negative = await im(['integration', 'configure', 'prod-pd', '--rate-limit', '-5'], env);
    expect(negative.code).toBe(1);
    expect(negative.stderr).toMatch(/^error: VALIDATION_FAILED rate_limit.*\n$/);
    const badUrl = await im(['integration', 'configure', 'prod-pd', '--base-url', 'https://evil.example.com'], env);
    expect(badUrl.stderr).toMatch(/^error: VALIDATION_FAILED base_url/);
    const dup = await im(['integration', 'configure', '--name', 'Other', '--slug', 'production-pagerduty', '--token', 'x', '--base-url', 'https://api.pagerduty.com'], env);
    expect(dup.code).toBe(0); // configure with an existing --slug updates it (idempotent set-up)
    expect((await api.get('/api/v1/integrations/production-pagerduty')).body.name).toBe('Other');
    const rename = await im(['integration', 'configure', 'production-pagerduty', '--slug', 'prod-pd'], env);
    expect(rename.code).toBe(1);
    expect(rename.stderr).toMatch(/^error: CONFLICT slug/);
    expect((await api.get('/api/v1/integrations/prod-pd')).body).toEqual(before);

    const otherKey = JSON.parse((await im(['api-key', 'create', '--org', uniqueId('other-org'), '--name', 'e2e', '--format', 'json'], { IM_API_KEY: testStack.adminApiKey })).stdout).api_key as string;
    const foreign = await im(['integration', 'get', 'prod-pd'], { IM_API_KEY: otherKey });
    expect(foreign.code).toBe(1);
    expect(foreign.stderr).toMatch(/^error: NOT_FOUND integration prod-pd not found; this organization has no integrations yet/);
    expect(foreign.stderr).not.toContain('production-pagerduty');
    const foreignById = await im(['integration', 'delete', before.id], { IM_API_KEY: otherKey });
    expect(foreignById.stderr).toMatch(/^error: NOT_FOUND/);
    expect((await api.get('/api/v1/integrations/prod-pd')).status).toBe(200);

    const noKey = await im(['integration', 'list']);
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toMatch(/^error: UNAUTHENTICATED/);
  });

  it('has --help on every command', async () => {
    for (const path of [[], ['integration'], ['integration', 'configure'], ['integration', 'field-ownership', 'set'], ['integration', 'service-mapping', 'add'], ['integration', 'user-mapping', 'add'], ['integration', 'test'], ['integration', 'webhook-test'], ['api-key', 'create']]) {
      const run = await im([...path, '--help']);
      expect({ path, code: run.code }).toEqual({ path, code: 0 });
      expect(run.stdout).toMatch(/^Usage: im/);
    }
  });
});

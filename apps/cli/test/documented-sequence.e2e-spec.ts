import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { ApiClient, testStack, uniqueId, waitFor } from '@incident-sync/testing';

/**
 * Issue #15: the documentation's sequence, as its users have it, typed in order through the
 * real `bin/im` against the running TEST stack and the PagerDuty simulator. The first
 * `configure` has no `--slug`; every later line says `prod-pd`. The test runs what is written,
 * follows only what the product's own messages say (the slug to use, the steps it names), and
 * ends with a working two-way sync.
 *
 * The only substitutions are the user's own values: their organization (one per run, so runs
 * never meet), their PagerDuty (the simulator's base URL and account-level token), and the
 * email of their PagerDuty bot user where a command the product printed says
 * `<PagerDuty user email>`.
 */
const IM = join(__dirname, '..', '..', '..', 'bin', 'im');
const DOCUMENTED = `
im integration configure --name "Production PagerDuty" --type pagerduty --org acme-corp \\
  --base-url "https://api.pagerduty.com" --direction bidirectional --token "your_pagerduty_api_token"
im integration field-ownership set prod-pd title --owner platform --priority 10
im integration field-ownership set prod-pd description --owner platform --priority 10
im integration field-ownership set prod-pd escalation_policy --owner external --priority 5
im integration field-ownership set prod-pd assigned_to --owner external --priority 5
im integration configure prod-pd --conflict-strategy manual-review
im conflict list --integration prod-pd
im integration configure prod-pd --sync-escalations true
im integration service-mapping add prod-pd --pd-service "P123ABC" --incident-type "infrastructure"
im integration oncall prod-pd --schedule-id "PABC123"
im integration sync-status prod-pd
im integration links prod-pd
im integration dlq prod-pd
im integration configure prod-pd --rate-limit 100 --backoff-multiplier 2
im integration test prod-pd
curl -X POST https://your-server/api/v1/webhooks/{id}/test
`;
/** The simulator's bot user (apps/pagerduty-sim/seed/default-seed.json): the user's own bot user. */
const BOT_EMAIL = 'incident-sync-bot@example.com';
/** A simulator service that no line maps (the documentation maps only P123ABC). */
const UNMAPPED_SERVICE = 'PSVC003';

interface Run { code: number; stdout: string; stderr: string }

function im(args: string[], apiKey: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(IM, args, { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', IM_API_URL: testStack.gatewayUrl, IM_API_KEY: apiKey }, timeout: 60000 }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** The documented lines (continuations joined), each as shell words (double quotes as the docs use them). */
const lines = DOCUMENTED.replace(/\\\n\s*/g, ' ').split('\n').map((l) => l.trim()).filter(Boolean);
const words = (line: string): string[] => (line.match(/"[^"]*"|\S+/g) ?? []).map((w) => w.replace(/^"|"$/g, ''));
/** `im a b c` → ['a', 'b', 'c'] with the slug the product told us in place of prod-pd. */
const argsOf = (line: string, slug: string): string[] => words(line).slice(1).map((w) => (w === 'prod-pd' ? slug : w));

describe('the documented sequence, followed as a new user would (e2e, #15)', () => {
  const org = uniqueId('acme-corp');
  const sim = new ApiClient(testStack.simulatorUrl).withHeaders({ authorization: 'Token token=sim-account-token', accept: 'application/vnd.pagerduty+json;version=2' });
  let key: string;
  let api: ApiClient;
  let slug: string;
  let integrationId: string;

  beforeAll(async () => {
    const created = await im(['api-key', 'create', '--org', org, '--name', 'e2e-docs', '--format', 'json'], testStack.adminApiKey);
    expect(created).toMatchObject({ code: 0, stderr: '' });
    key = JSON.parse(created.stdout).api_key as string;
    api = new ApiClient(testStack.gatewayUrl, key);
  });

  afterAll(async () => {
    if (integrationId) await api.delete(`/api/v1/integrations/${integrationId}`);
  });

  it('configure without --slug prints the slug to use, the webhook URL and each missing piece with its command', async () => {
    const first = argsOf(lines[0] ?? '', 'prod-pd').map((w) => (w === 'acme-corp' ? org : w === 'https://api.pagerduty.com' ? testStack.simulatorUrl : w === 'your_pagerduty_api_token' ? 'sim-account-token' : w));
    const run = await im(first, key);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    slug = /use the slug (\S+) in later commands/.exec(run.stdout)?.[1] ?? '';
    expect(slug).toBe('production-pagerduty');
    const integration = (await api.get(`/api/v1/integrations/${slug}`)).body;
    integrationId = integration.id;
    expect(run.stdout).toContain(`webhook URL for PagerDuty (Integrations → Generic Webhooks v3): ${testStack.gatewayUrl}/api/v1/webhooks/${integrationId}`);
    expect(run.stdout).toContain(`im integration configure ${slug} --create-webhook`);
    expect(run.stdout).toContain(`im integration configure ${slug} --from-email <pagerduty-user-email>`);
    expect(run.stdout).toContain(`im integration service-mapping add ${slug} --pd-service`);
    expect(run.stdout).not.toContain('sim-account-token');

    // Scripts get the same guidance as fields, not as text inside the JSON.
    const json = JSON.parse((await im(['integration', 'get', slug, '--format', 'json'], key)).stdout);
    expect(json.webhook_url).toBe(`${testStack.gatewayUrl}/api/v1/webhooks/${integrationId}`);
    expect(json.next_steps.map((s: { missing: string }) => s.missing)).toEqual(['webhook_secret', 'from_email', 'service_mapping', 'default_service']);
  });

  it('the first prod-pd line, as written, is a 404 that names the organization\'s integrations and suggests the real slug', async () => {
    const run = await im(words(lines[1] ?? '').slice(1), key);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`error: NOT_FOUND integration prod-pd not found; did you mean ${slug}? This organization's integrations: ${slug}\n`);
    // Over REST too, with the suggestion as a field.
    const rest = await api.get('/api/v1/integrations/prod-pd/field-ownership');
    expect(rest.status).toBe(404);
    expect(rest.body.error.message).toContain(`did you mean ${slug}?`);
    // Another organization is never told about this one.
    const otherKey = JSON.parse((await im(['api-key', 'create', '--org', uniqueId('other-org'), '--name', 'e2e', '--format', 'json'], testStack.adminApiKey)).stdout).api_key as string;
    const foreign = await im(['integration', 'sync-status', 'prod-pd'], otherKey);
    expect(foreign.code).toBe(1);
    expect(foreign.stderr).not.toContain(slug);
  });

  it('runs the rest of the documentation with that slug: every line works, and the one rule that cannot take effect yet says so', async () => {
    const results: Record<string, Run> = {};
    for (const line of lines.slice(1, -2)) results[line] = await im(argsOf(line, slug), key);
    const failed = Object.entries(results).filter(([line, r]) => r.code !== 0 && !line.includes('oncall'));
    expect(failed.map(([line, r]) => `${line}: ${r.stderr}`)).toEqual([]);

    const escalation = results[lines.find((l) => l.includes('escalation_policy')) ?? ''];
    expect(escalation?.stdout).toContain(`warning: escalation_policy is not synced while sync_escalations is false, so this rule has no effect yet; enable it: im integration configure ${slug} --sync-escalations true`);
    expect(results[lines.find((l) => l.includes('set prod-pd title')) ?? '']?.stdout).not.toContain('warning');
    // The documentation's schedule id is an example; the simulator has no such schedule, and says so in one line.
    const oncall = results[lines.find((l) => l.includes('oncall')) ?? ''];
    expect(oncall).toMatchObject({ code: 1, stderr: 'error: NOT_FOUND PagerDuty schedule PABC123 not found\n' });

    const integration = (await api.get(`/api/v1/integrations/${slug}`)).body;
    expect(integration).toMatchObject({ conflict_strategy: 'manual-review', sync_escalations: true, rate_limit: 100, backoff_multiplier: 2, unmapped_services: 'create', default_incident_type: null });
    // Once sync_escalations is on, setting the rule again has nothing to warn about.
    const again = await im(argsOf(lines.find((l) => l.includes('escalation_policy')) ?? '', slug), key);
    expect(again).toMatchObject({ code: 0, stderr: '' });
    expect(again.stdout).not.toContain('warning');
  });

  it('`im integration test` fails while a direction cannot work and names each fix; doing exactly those fixes makes it pass, self-test included', async () => {
    const before = await im(argsOf(lines[lines.length - 2] ?? '', slug), key);
    expect(before.code).toBe(1);
    expect(before.stderr).toMatch(/^error: \d+ of \d+ checks failed: from_email, webhook_secret, webhook_subscription, webhook_self_test\.secret_configured\n$/);
    expect(before.stdout).toMatch(/^from_email\s+FAILED/m);
    expect(before.stdout).toMatch(/^webhook_self_test\.secret_configured\s+FAILED/m);
    const fixes = [...new Set([...before.stdout.matchAll(/fix: (im integration configure \S+ --[a-z-]+(?: <[^>]+>)?)/g)].map((m) => m[1] ?? ''))];
    expect(fixes).toEqual([`im integration configure ${slug} --from-email <PagerDuty user email>`, `im integration configure ${slug} --create-webhook`]);
    for (const fix of fixes) {
      const run = await im(words(fix.replace('<PagerDuty user email>', BOT_EMAIL)).slice(1), key);
      expect({ fix, code: run.code, stderr: run.stderr }).toEqual({ fix, code: 0, stderr: '' });
    }

    const after = await im(argsOf(lines[lines.length - 2] ?? '', slug), key);
    expect({ code: after.code, stderr: after.stderr }).toEqual({ code: 0, stderr: '' });
    for (const check of ['from_email', 'webhook_secret', 'webhook_subscription', 'webhook_self_test.signed_sample_accepted', 'webhook_self_test.tampered_copy_rejected', 'webhook_self_test.unknown_secret_rejected']) {
      expect(after.stdout).toMatch(new RegExp(`^${check.replace('.', '\\.')}\\s+ok`, 'm'));
    }
    const json = JSON.parse((await im(['integration', 'test', slug, '--format', 'json'], key)).stdout);
    expect(json).toMatchObject({ ok: true, webhook_self_test: { result: 'pass', secrets_checked: 1 } });
    expect(JSON.stringify(json)).not.toMatch(/sim-account-token|whsec|signature=/i);

    // The documentation's curl line (with the API key every /api/v1 call needs), and its CLI command.
    const curl = await api.post(`/api/v1/webhooks/${integrationId}/test`);
    expect(curl.status).toBe(200);
    expect(curl.body).toMatchObject({ integration_id: integrationId, result: 'pass' });
    const selfTest = await im(['integration', 'webhook-test', slug], key);
    expect({ code: selfTest.code, stderr: selfTest.stderr }).toEqual({ code: 0, stderr: '' });
    expect(selfTest.stdout).toMatch(/^tampered_copy_rejected\s+ok/m);
  });

  it('ends in a working two-way sync: a trigger on an unmapped service creates a platform incident, a platform edit reaches PagerDuty', async () => {
    const title = `documented sequence ${uniqueId('t')}`;
    const opened = await sim.post('/sim/incidents', { title, service_id: UNMAPPED_SERVICE });
    expect(opened.status).toBe(201);
    const pdId = opened.body.incident.id as string;
    const incident = await waitFor(async () => {
      const list = (await api.get('/api/v1/incidents?limit=100')).body.data as { id: string; number: string; title: string; incident_type: string | null; external_refs: { id: string }[] }[];
      return list.find((i) => i.external_refs.some((r) => r.id === pdId));
    }, { what: `a platform incident for PagerDuty incident ${pdId}`, timeoutMs: 60000, intervalMs: 250 });
    expect(incident).toMatchObject({ title, incident_type: null });

    const edited = await im(['incident', 'update', incident.number, '--title', `${title} (edited on the platform)`], key);
    expect({ code: edited.code, stderr: edited.stderr }).toEqual({ code: 0, stderr: '' });
    await waitFor(async () => (await sim.get(`/incidents/${pdId}`)).body.incident.title === `${title} (edited on the platform)`, { what: 'the platform edit in PagerDuty', timeoutMs: 60000, intervalMs: 250 });
    const status = JSON.parse((await im(['integration', 'sync-status', slug, '--format', 'json'], key)).stdout);
    expect(status).toMatchObject({ dlq_size: 0 });
  });

  it('ignoring unmapped services is an explicit setting, and a default incident type applies to them', async () => {
    const opened = async (title: string): Promise<string> => (await sim.post('/sim/incidents', { title, service_id: UNMAPPED_SERVICE })).body.incident.id as string;
    const ignore = await im(['integration', 'configure', slug, '--unmapped-services', 'ignore'], key);
    expect({ code: ignore.code, stderr: ignore.stderr }).toEqual({ code: 0, stderr: '' });
    expect(ignore.stdout).toMatch(/^unmapped_services:\s+ignore$/m);
    const ignoredId = await opened(`ignored ${uniqueId('t')}`);
    const decision = await waitFor(async () => ((await api.get(`/api/v1/integrations/${slug}/history?incident=${ignoredId}`)).body.data ?? [])
      .find((d: { outcome: string }) => d.outcome === 'not-created'), { what: 'the decision not to create', timeoutMs: 60000, intervalMs: 250 });
    expect(decision.reason).toContain(`PagerDuty service ${UNMAPPED_SERVICE} is not mapped to an incident type and the integration ignores unmapped services`);
    const incidents = (await api.get('/api/v1/incidents?limit=100')).body.data as { external_refs: { id: string }[] }[];
    expect(incidents.filter((i) => i.external_refs.some((r) => r.id === ignoredId))).toEqual([]);

    const typed = await im(['integration', 'configure', slug, '--unmapped-services', 'create', '--default-incident-type', 'triage'], key);
    expect({ code: typed.code, stderr: typed.stderr }).toEqual({ code: 0, stderr: '' });
    const typedId = await opened(`typed ${uniqueId('t')}`);
    const incident = await waitFor(async () => ((await api.get('/api/v1/incidents?limit=100')).body.data as { incident_type: string | null; external_refs: { id: string }[] }[])
      .find((i) => i.external_refs.some((r) => r.id === typedId)), { what: 'the platform incident of the default type', timeoutMs: 60000, intervalMs: 250 });
    expect(incident.incident_type).toBe('triage');
    const bad = await im(['integration', 'configure', slug, '--unmapped-services', 'drop'], key);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/unmapped-services/);
  });
});

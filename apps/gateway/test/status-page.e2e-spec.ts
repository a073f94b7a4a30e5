import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { PagerDutyCommandV1, Topic } from '@incident-sync/contracts';
import { ApiClient, testStack, uniqueId, waitFor } from '@incident-sync/testing';
import { DOCS_CSP } from '../src/api-docs';
import { STATUS_CSP } from '../src/status-page';
import { STATUS_COOKIE } from '../src/status-session';

/**
 * The status page (issue #15 item 5) and the Swagger UI page in a real headless Chromium —
 * Debian's package at /usr/bin/chromium driven by playwright-core, no browser download —
 * against the running test stack and the simulator. It signs in through the form, watches
 * live figures after a real sync both ways, sees a dead letter injected through Kafka, checks
 * that an integration name holding `<script>` is text, and that neither page breaks its CSP.
 * Without Chromium it fails; it never skips.
 */
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const gateway = testStack.gatewayUrl;
const SERVICE = 'PSVC001';
const LONG = 90000;

describe('the status page in a real browser (e2e, headless Chromium)', () => {
  const admin = new ApiClient(gateway, testStack.adminApiKey);
  const simControl = new ApiClient(testStack.simulatorUrl);
  const org = uniqueId('status-org');
  const name = `Status <script>alert("status-xss")</script><img src=x onerror=alert(2)> ${uniqueId()}`;
  /** What the page did that it must not: CSP violations, script errors, dialogs (an executed alert). */
  const problems: string[] = [];
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let key: string;
  let api: ApiClient;
  let integrationId: string;
  let subscriptionId: string | undefined;
  let incidentId: string;
  let pdIncidentId: string;

  const row = (figure: string): ReturnType<Page['locator']> => page.locator(`tr[data-integration="${integrationId}"] [data-figure="${figure}"]`);
  const cell = async (figure: string): Promise<string> => ((await row(figure).textContent()) ?? '').trim();
  /** Reloads /status until `probe` holds (the page is rendered per request: each load is live). */
  const untilPage = <T>(what: string, probe: () => Promise<T | false | undefined>): Promise<T> =>
    waitFor(async () => {
      await page.goto(`${gateway}/status`);
      return probe();
    }, { what, timeoutMs: LONG, intervalMs: 1000 });

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`Debian's chromium is missing at ${CHROMIUM}: install it with "apt-get install -y chromium" (.ci/run does so when it is missing). This test fails rather than skips.`);
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    context = await browser.newContext();
    page = await context.newPage();
    // The machine running the suite may be loaded: Swagger UI's bundle alone is 1.4 MB.
    page.setDefaultTimeout(LONG);
    page.setDefaultNavigationTimeout(LONG);
    page.on('console', (message) => {
      if (/Content.Security.Policy|Refused to/i.test(message.text())) problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('dialog', (dialog) => {
      problems.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });

    const created = await admin.post('/api/v1/api-keys', { organization_id: org, name: 'status page e2e' });
    expect(created.status).toBe(201);
    key = created.body.api_key;
    api = new ApiClient(gateway, key);
    const integration = await api.post('/api/v1/integrations', {
      integration_type: 'pagerduty', name, slug: uniqueId('status'), base_url: testStack.simulatorUrl, credentials: { token: 'sim-account-token' },
      from_email: 'incident-sync-bot@example.com', sync_direction: 'bidirectional', rate_limit: 600,
    });
    expect(integration.status).toBe(201);
    integrationId = integration.body.id;
    expect((await api.post(`/api/v1/integrations/${integrationId}/service-mappings`, { pd_service_id: SERVICE, incident_type: 'status-page' })).status).toBeLessThan(300);
    const sub = await api.post(`/api/v1/integrations/${integrationId}/webhook-subscription`, { public_url: gateway, filter_type: 'service_reference', filter_id: SERVICE });
    expect(sub.status).toBeLessThan(300);
    subscriptionId = sub.body.id;
    expect((await api.post(`/api/v1/integrations/${integrationId}/test`)).status).toBe(200);
  });

  afterEach(() => {
    expect(problems).toEqual([]);
  });

  afterAll(async () => {
    await simControl.delete('/sim/faults');
    if (subscriptionId) await new ApiClient(testStack.simulatorUrl, undefined, { authorization: 'Token token=sim-account-token' }).delete(`/webhook_subscriptions/${subscriptionId}`);
    await browser?.close();
  });

  it('sends a signed-out visitor to the form; signing in keeps only an HttpOnly, SameSite=Strict session cookie for /status', async () => {
    await page.goto(`${gateway}/status`);
    expect(page.url()).toBe(`${gateway}/status/sign-in`);
    await page.fill('#api_key', key);
    await Promise.all([page.waitForURL(`${gateway}/status`), page.click('button[type=submit]')]);
    expect(await page.locator('[data-figure="organization"]').textContent()).toBe(org);
    const cookies = (await context.cookies(`${gateway}/status`)).filter((c) => c.name === STATUS_COOKIE);
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/status', secure: false });
    expect(cookies[0]!.value).not.toContain(key);
    // No script can read it, and the key is nowhere in the page.
    expect(await page.evaluate<string>('document.cookie')).toBe('');
    expect(await page.content()).not.toContain(key);
  });

  it('renders an integration name holding <script> as text, runs no script, and sends the strict CSP', async () => {
    const response = await page.goto(`${gateway}/status`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toBe(STATUS_CSP);
    expect(STATUS_CSP).toMatch(/default-src 'none'/);
    expect(STATUS_CSP).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(await row('name').textContent()).toBe(name);
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.locator('img').count()).toBe(0);
    // The gateway's own stylesheet is allowed: the health badge is painted.
    const badge = await page.evaluate<string>(`getComputedStyle(document.querySelector('tr[data-integration="${integrationId}"] .badge')).backgroundColor`);
    expect(badge).not.toBe('rgba(0, 0, 0, 0)');
  });

  it('shows live figures after a real sync: a platform incident created in PagerDuty, acknowledged there, copied back', async () => {
    expect(await cell('last-webhook')).toBe('—');
    expect(await page.locator(`[data-activity="${integrationId}"] [data-chart="empty"]`).count()).toBe(1);
    const title = `Status page <b>sync</b> ${uniqueId()}`;
    const created = await api.post('/api/v1/incidents', { title, severity: 'SEV-2', incident_type: 'status-page' });
    expect(created.status).toBe(201);
    incidentId = created.body.id;
    pdIncidentId = await waitFor(async () => (await api.get(`/api/v1/integrations/${integrationId}/links?incident=${incidentId}`)).body.data?.[0]?.pd_incident_id ?? undefined, { what: 'the PagerDuty incident', timeoutMs: LONG, intervalMs: 500 });
    // A person acknowledges it in PagerDuty (retried: the simulator may still be settling the create).
    await waitFor(async () => {
      const acked = await simControl.post(`/sim/incidents/${pdIncidentId}/acknowledge`, { as: 'carol@example.com' });
      if (acked.status >= 300) throw new Error(`sim acknowledge of ${pdIncidentId} answered ${acked.status}: ${JSON.stringify(acked.body)}`);
      return true;
    }, { what: 'the acknowledgement in PagerDuty', timeoutMs: LONG, intervalMs: 1000 });
    await waitFor(async () => (await api.get(`/api/v1/incidents/${incidentId}`)).body.status === 'mitigated', { what: 'the acknowledgement copied to the platform', timeoutMs: LONG, intervalMs: 500 });

    await untilPage('the sync on the page', async () => (await cell('last-webhook')) !== '—' && (await page.locator(`[data-activity="${integrationId}"] svg[data-chart="outbound"] rect`).count()) >= 1);
    const status = (await api.get(`/api/v1/integrations/${integrationId}/sync-status`)).body;
    expect(await cell('last-webhook')).toBe(String(status.last_webhook_received_at).replace('T', ' ').replace(/\.\d+Z$/, 'Z'));
    expect([await cell('rate-limited'), await cell('dlq'), await cell('conflicts')]).toEqual([String(status.rate_limited_429_count), String(status.dlq_size), String(status.open_conflicts)]);
    expect(await cell('tokens')).toMatch(/^\d+ \/ 600 per min$/);
    expect(await row('health').locator('.badge').textContent()).toBe('ok');
    // Recent decisions of that incident, under its (escaped) title, both directions.
    const incident = page.locator(`[data-activity="${integrationId}"] [data-incident="${incidentId}"]`);
    expect(await incident.locator('.title').textContent()).toBe(title);
    expect(await incident.locator('h4').textContent()).toContain(pdIncidentId);
    const sources = await incident.locator('tbody tr td:nth-child(2)').allTextContents();
    expect(sources.some((s) => s.startsWith('webhook'))).toBe(true);
    expect(sources.some((s) => s.startsWith('platform-change') || s.startsWith('command-result'))).toBe(true);
  });

  it('shows a dead letter injected through Kafka: in the list, in the integration\'s DLQ count and its health', async () => {
    // A PagerDuty incident outside the integration's subscription, whose updates PagerDuty refuses (400):
    // a command about it is dead-lettered at once (as in dlq-replay.e2e-spec.ts).
    const opened = await simControl.post('/sim/incidents', { title: 'status page dead letter', service_id: 'PSVC003' });
    expect(opened.status).toBe(201);
    const refusedId = opened.body.incident.id as string;
    expect((await simControl.put('/sim/faults', { rest_error_rate: 1, rest_error_status: 400, path: `^/incidents/${refusedId}$`, method: 'PUT' })).status).toBe(200);
    let deadLetterId: string;
    try {
      const command: PagerDutyCommandV1 = {
        commandId: randomUUID(), organizationId: org, integrationId, platformIncidentId: randomUUID(), pdIncidentId: refusedId,
        action: 'update_incident', update: { title: 'refused by PagerDuty' }, issuedAt: new Date().toISOString(),
      };
      const producer = new Kafka({ clientId: 'e2e-status-page', brokers: testStack.kafkaBrokers, logLevel: logLevel.NOTHING }).producer();
      await producer.connect();
      await producer.send({ topic: Topic.PagerDutyCommands, messages: [{ key: integrationId, value: JSON.stringify(command), headers: { 'message-id': command.commandId } }] });
      await producer.disconnect();
      deadLetterId = await waitFor(async () => {
        const listed = await api.get(`/api/v1/integrations/${integrationId}/dlq?limit=200`);
        return (listed.body.data as { id: string; payload_preview: string }[]).find((d) => d.payload_preview.includes(command.commandId))?.id ?? undefined;
      }, { what: 'the dead letter', timeoutMs: 2 * LONG, intervalMs: 500 });
    } finally {
      await simControl.delete('/sim/faults');
    }
    await untilPage('the dead letter on the page', async () => (await page.locator(`tr[data-dead-letter="${deadLetterId}"]`).count()) === 1 && (await cell('dlq')) !== '0');
    expect(Number(await cell('dlq'))).toBeGreaterThanOrEqual(1);
    expect(Number(await page.locator('[data-figure="dlq-total"]').textContent().then((t) => t?.split(' ')[0]))).toBeGreaterThanOrEqual(1);
    expect(await page.locator(`tr[data-dead-letter="${deadLetterId}"]`).textContent()).toContain('PAGERDUTY_REJECTED');
    expect(await row('health').textContent()).toMatch(/dead letter\(s\) pending/);
  });

  it('signs out: the cookie is gone and /status asks for the key again', async () => {
    await page.goto(`${gateway}/status`);
    await Promise.all([page.waitForURL(`${gateway}/status/sign-in`), page.click('form.sign-out button')]);
    expect((await context.cookies(`${gateway}/status`)).filter((c) => c.name === STATUS_COOKIE)).toEqual([]);
    await page.goto(`${gateway}/status`);
    expect(page.url()).toBe(`${gateway}/status/sign-in`);
  });

  it('a wrong key gets the form back with the error naming the field, and no cookie', async () => {
    await page.goto(`${gateway}/status/sign-in`);
    await page.fill('#api_key', 'not-a-real-key');
    await Promise.all([page.waitForLoadState(), page.click('button[type=submit]')]);
    expect(await page.locator('[role=alert]').textContent()).toBe('UNAUTHENTICATED: api_key: invalid API key');
    expect((await context.cookies(`${gateway}/status`)).filter((c) => c.name === STATUS_COOKIE)).toEqual([]);
  });

  it('Swagger UI (/api/docs) renders the operations list without CSP errors', async () => {
    const response = await page.goto(`${gateway}/api/docs`, { waitUntil: 'domcontentloaded' });
    expect(response?.headers()['content-security-policy']).toBe(DOCS_CSP);
    await page.waitForSelector('.opblock', { timeout: LONG });
    await waitFor(async () => (await page.locator('.opblock').count()) > 40, { what: 'every operation listed', timeoutMs: LONG, intervalMs: 500 });
    const paths = await page.locator('.opblock-summary-path').allTextContents();
    expect(paths.map((p) => p.replace(/\u200b/g, ''))).toEqual(expect.arrayContaining(['/api/v1/incidents', '/api/v1/integrations/{ref}/activity']));
    // Let late work (fonts, images, deferred rendering) report any violation before afterEach checks.
    await page.waitForTimeout(1000);
  });
});

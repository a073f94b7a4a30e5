import { testStack } from '@incident-sync/testing';
import { STATUS_CSP } from '../../src/status-page';
import { STATUS_COOKIE } from '../../src/status-session';
import { HttpAnswer, LeakLedger, ledgerSummary } from './support/raw-http';
import { saveLedger, SecurityWorld, securityWorld, WorldClient } from './support/security-world';

/**
 * The status page (/status) against the running stack, as an attacker would try it: organization
 * B's key (header or session) never shows organization A's integration, incident, conflict or
 * dead letter; the session cookie opens /status only, never /api/v1; another site cannot post
 * the sign-in or sign-out forms; a forged, signed-out or expired session is refused; no answer
 * carries the API key; every answer carries the CSP and no-store.
 */
describe('the status page: organization scope, session cookie and CSRF (security)', () => {
  const ledger = new LeakLedger();
  const client = new WorldClient(ledger);
  const origin = testStack.gatewayUrl;
  let world: SecurityWorld;

  const aMarkers = (w: SecurityWorld): string[] => [w.a.name, w.a.slug, w.a.integrationId, w.a.incidentId, w.a.conflictId, w.a.deadLetterId, w.a.pdIncidentId, w.a.org, w.canary.token];
  const send = (method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<HttpAnswer> => client.gateway.send({ method, path, headers, body });
  const signIn = (key: string, headers: Record<string, string> = { origin }): Promise<HttpAnswer> =>
    send('POST', '/status/sign-in', { 'content-type': 'application/x-www-form-urlencoded', ...headers }, new URLSearchParams({ api_key: key }).toString());
  const cookieOf = (answer: HttpAnswer): string => {
    const match = new RegExp(`${STATUS_COOKIE}=([A-Za-z0-9_-]{43})`).exec(answer.headers['set-cookie'] ?? '');
    if (!match) throw new Error(`no session cookie in ${JSON.stringify(answer.headers)}`);
    return `${STATUS_COOKIE}=${match[1]}`;
  };

  beforeAll(async () => {
    world = await securityWorld(client);
    ledger.watch('organization B API key', world.b.apiKey);
    ledger.watch('organization A API key', world.a.apiKey);
  });

  afterAll(() => {
    saveLedger('status-page', ledger);
    client.close();
  });

  it('A\'s own page shows A\'s integration and dead letter (so the next checks can fail)', async () => {
    const page = await send('GET', '/status', { authorization: `Bearer ${world.a.apiKey}` });
    expect(page.status).toBe(200);
    expect(page.text).toContain(world.a.integrationId);
    expect(page.text).toContain(world.a.deadLetterId);
    expect(page.text).toContain(world.a.name);
  });

  it('B\'s key, by header or by session, never shows anything of A', async () => {
    const byHeader = await send('GET', '/status', { authorization: `Bearer ${world.b.apiKey}` });
    expect(byHeader.status).toBe(200);
    expect(byHeader.text).toContain(world.b.integrationId);
    const cookie = cookieOf(await signIn(world.b.apiKey));
    const bySession = await send('GET', '/status', { cookie });
    expect(bySession.status).toBe(200);
    expect(bySession.text).toContain(world.b.name);
    // Asking for A by the admin's organization header changes nothing for an organization key.
    const withHeader = await send('GET', '/status', { cookie, 'x-organization-id': world.a.org });
    for (const answer of [byHeader, bySession, withHeader]) {
      for (const marker of aMarkers(world)) expect({ marker, found: answer.text.includes(marker) }).toEqual({ marker, found: false });
    }
  });

  it('the session cookie opens /status only: /api/v1 still wants the key in a header', async () => {
    const cookie = cookieOf(await signIn(world.a.apiKey));
    expect((await send('GET', '/status', { cookie })).status).toBe(200);
    for (const path of ['/api/v1/integrations', `/api/v1/dlq/${world.a.deadLetterId}`, '/api/v1/organizations/current']) {
      const answer = await send('GET', path, { cookie, accept: 'application/json' });
      expect({ path, status: answer.status, code: answer.json?.error?.code }).toEqual({ path, status: 401, code: 'UNAUTHENTICATED' });
      expect(answer.text).not.toContain(world.a.integrationId);
    }
  });

  it('refuses sign-in and sign-out posted by another site, or with no Origin at all, and sets no cookie', async () => {
    const forged: Record<string, string>[] = [{ origin: 'https://evil.example' }, { origin: 'null' }, {}, { 'sec-fetch-site': 'cross-site' }, { origin: `${origin}.evil.example` }];
    for (const headers of forged) {
      const answer = await signIn(world.a.apiKey, headers);
      expect({ headers, status: answer.status }).toEqual({ headers, status: 403 });
      expect(answer.headers['set-cookie']).toBeUndefined();
      expect(answer.text).toContain('CROSS_ORIGIN');
    }
    const cookie = cookieOf(await signIn(world.a.apiKey));
    expect((await send('POST', '/status/sign-out', { cookie, origin: 'https://evil.example' })).status).toBe(403);
    // The session survived the forged sign-out.
    expect((await send('GET', '/status', { cookie })).status).toBe(200);
  });

  it('a signed-out, forged or malformed session is sent back to the form, and the old cookie stays dead', async () => {
    const cookie = cookieOf(await signIn(world.a.apiKey));
    const out = await send('POST', '/status/sign-out', { cookie, origin });
    expect(out.status).toBe(303);
    expect(out.headers['set-cookie']).toMatch(new RegExp(`^${STATUS_COOKIE}=; Path=/status; HttpOnly; SameSite=Strict; Max-Age=0`));
    for (const stale of [cookie, `${STATUS_COOKIE}=${'A'.repeat(43)}`, `${STATUS_COOKIE}=${world.a.apiKey}`, `${STATUS_COOKIE}=../../etc`]) {
      const answer = await send('GET', '/status', { cookie: stale });
      expect({ stale: stale.slice(0, 40), status: answer.status, location: answer.headers.location }).toEqual({ stale: stale.slice(0, 40), status: 303, location: '/status/sign-in' });
      expect(answer.text).not.toContain(world.a.integrationId);
    }
  });

  it('bad sign-in input gets a clear error naming the field and sets no cookie; the admin key is refused', async () => {
    const cases: [HttpAnswer, number, string][] = [
      [await signIn('not-a-key'), 401, 'UNAUTHENTICATED: api_key'],
      [await signIn(''), 400, 'VALIDATION_FAILED: api_key: is required'],
      [await signIn('k'.repeat(3000)), 400, 'VALIDATION_FAILED: api_key'],
      [await signIn(testStack.adminApiKey), 400, 'VALIDATION_FAILED: api_key: the admin key'],
      [await send('POST', '/status/sign-in', { origin, 'content-type': 'application/json' }, JSON.stringify({ api_key: world.a.apiKey })), 415, 'VALIDATION_FAILED: Content-Type'],
    ];
    for (const [answer, status, text] of cases) {
      expect({ status: answer.status, text: answer.text.includes(text) }).toEqual({ status, text: true });
      expect(answer.headers['set-cookie']).toBeUndefined();
    }
    expect((await send('GET', '/status', { authorization: `Bearer ${testStack.adminApiKey}`, 'x-organization-id': world.a.org })).status).toBe(403);
    expect((await send('GET', '/status', { authorization: 'Bearer nope' })).status).toBe(401);
  });

  it('every status answer carries the strict CSP and no-store, and none carries an API key', async () => {
    const cookie = cookieOf(await signIn(world.a.apiKey));
    const answers = [
      await send('GET', '/status/sign-in'), await send('GET', '/status', { cookie }), await send('GET', '/status'),
      await signIn(world.b.apiKey), await signIn('not-a-key'), await send('GET', '/status/status.css'),
    ];
    for (const answer of answers) {
      expect(answer.headers['content-security-policy']).toBe(STATUS_CSP);
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['cache-control']).toMatch(/^no-(store|cache)$/);
      expect(`${JSON.stringify(answer.headers)}${answer.text}`).not.toContain(world.a.apiKey);
      expect(`${JSON.stringify(answer.headers)}${answer.text}`).not.toContain(world.b.apiKey);
    }
    expect(STATUS_CSP).toMatch(/^default-src 'none'/);
    expect(STATUS_CSP).not.toMatch(/unsafe-|script-src|https?:/);
    expect(ledgerSummary(ledger)).toEqual([]);
  });
});

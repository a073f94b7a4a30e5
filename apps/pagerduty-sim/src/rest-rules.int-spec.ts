import { validateRequest } from '@incident-sync/pagerduty/openapi';
import { bootSim, newIncidentBody, pd } from '../test/sim-test-harness';

type Sim = Awaited<ReturnType<typeof bootSim>>;

describe('REST rules real clients trip on', () => {
  let sim: Sim;
  beforeAll(async () => {
    sim = await bootSim({ SIM_RATE_LIMIT_PER_MINUTE: 100000, SIM_CREATE_RATE_LIMIT_PER_MINUTE: 100000 });
  });
  beforeEach(async () => {
    await fetch(`${sim.url}/sim/reset`, { method: 'POST' });
  });
  afterAll(async () => sim.close());

  const account = (): ReturnType<typeof pd> => pd(sim.url);

  it('authenticates `Token token=` and `Bearer`, and answers an unknown token with 401 and PD\'s body', async () => {
    expect((await account()('GET', '/priorities')).status).toBe(200);
    const bearer = await fetch(`${sim.url}/priorities`, { headers: { Authorization: 'Bearer sim-account-token' } });
    expect(bearer.status).toBe(200);
    const bad = await pd(sim.url, 'wrong')('GET', '/priorities');
    expect(bad.status).toBe(401);
    expect(bad.body).toEqual({ error: { message: 'Authentication failed', code: 2006 } });
    const malformed = await fetch(`${sim.url}/priorities`, { headers: { Authorization: 'token=sim-account-token' } });
    expect(malformed.status).toBe(401);
  });

  it('answers unparsable bodies and unknown paths with PagerDuty\'s error body too', async () => {
    const headers = { Authorization: 'Token token=sim-account-token', 'Content-Type': 'application/json', From: 'alice@example.com' };
    const bad = await fetch(`${sim.url}/incidents`, { method: 'POST', headers, body: '{"incident":' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.code).toBe(2001);
    const missing = await fetch(`${sim.url}/no_such_thing`, { headers });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { message: 'Not Found', code: 2100 } });
    expect((await fetch(`${sim.url}/health/live`)).status).toBe(200);
  });

  it('refuses an Accept header pinning another API version', async () => {
    const res = await account()('GET', '/priorities', undefined, { Accept: 'application/vnd.pagerduty+json;version=1' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe(2001);
  });

  it('requires From on writes with an account key: missing 400 with PD\'s message, malformed 1028, unknown user 1008', async () => {
    const missing = await pd(sim.url, 'sim-account-token', null)('POST', '/incidents', newIncidentBody());
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toBe('You must specify a user\'s email address in the "From" header to perform this action');
    const malformed = await account()('POST', '/incidents', newIncidentBody(), { From: 'not an email' });
    expect([malformed.status, malformed.body.error.code]).toEqual([400, 1028]);
    const unknown = await account()('POST', '/incidents', newIncidentBody(), { From: 'nobody@example.com' });
    expect([unknown.status, unknown.body.error.code]).toEqual([400, 1008]);
    const note = await pd(sim.url, 'sim-account-token', null)('POST', '/incidents/1/notes', { note: { content: 'x' } });
    expect(note.status).toBe(400);
    // A user key acts as its user: no From needed.
    expect((await pd(sim.url, 'sim-user-token', null)('POST', '/incidents', newIncidentBody())).status).toBe(201);
    // Nothing was created by the rejected requests.
    expect((await account()('GET', '/incidents?total=true')).body.total).toBe(1);
  });

  it('dedupes incident_key per service while the incident is open, and allows it again once resolved', async () => {
    const first = await account()('POST', '/incidents', newIncidentBody({ incident_key: 'db-down' }));
    expect(first.status).toBe(201);
    expect(first.body.incident.incident_key).toBe('db-down');
    const dup = await account()('POST', '/incidents', newIncidentBody({ incident_key: 'db-down' }));
    expect(dup.status).toBe(400);
    expect(dup.body.error.code).toBe(2001);
    const otherService = await account()('POST', '/incidents', newIncidentBody({ incident_key: 'db-down', service: { id: 'PSVC002', type: 'service_reference' } }));
    expect(otherService.status).toBe(201);
    await account()('PUT', `/incidents/${first.body.incident.id}`, { incident: { type: 'incident_reference', status: 'resolved' } });
    expect((await account()('POST', '/incidents', newIncidentBody({ incident_key: 'db-down' }))).status).toBe(201);
    // Created without a key, an incident gets PagerDuty's own: 32 lower-case hex digits, not its id.
    const keyless = (await account()('POST', '/incidents', newIncidentBody())).body.incident;
    expect(keyless.incident_key).toMatch(/^[0-9a-f]{32}$/);
  });

  it('assignments and escalation_policy are exclusive on create; self-assignment creates it acknowledged', async () => {
    const both = await account()('POST', '/incidents', newIncidentBody({ assignments: [{ assignee: { id: 'PUSR002', type: 'user_reference' } }], escalation_policy: { id: 'PEP0002', type: 'escalation_policy_reference' } }));
    expect(both.status).toBe(400);
    const direct = await account()('POST', '/incidents', newIncidentBody({ assignments: [{ assignee: { id: 'PUSR002', type: 'user_reference' } }] }));
    expect(direct.body.incident.assigned_via).toBe('direct_assignment');
    expect(direct.body.incident.assignments.map((a: any) => a.assignee.id)).toEqual(['PUSR002']);
    const viaPolicy = await account()('POST', '/incidents', newIncidentBody({ escalation_policy: { id: 'PEP0002', type: 'escalation_policy_reference' } }));
    expect(viaPolicy.body.incident.escalation_policy.id).toBe('PEP0002');
    expect(['PUSR003', 'PUSR004']).toContain(viaPolicy.body.incident.assignments[0].assignee.id);
    const self = await pd(sim.url, 'sim-user-token', null)('POST', '/incidents', newIncidentBody({ assignments: [{ assignee: { id: 'PUSR001', type: 'user_reference' } }] }));
    expect(self.body.incident.status).toBe('acknowledged');
  });

  it('status transitions: ack twice 1002, resolve twice 1001, edit of resolved 1001, reopen to triggered and to acknowledged', async () => {
    const put = (id: string, incident: Record<string, unknown>) => account()('PUT', `/incidents/${id}`, { incident: { type: 'incident_reference', ...incident } });
    const id = (await account()('POST', '/incidents', newIncidentBody())).body.incident.id;
    expect((await put(id, { status: 'acknowledged' })).body.incident.status).toBe('acknowledged');
    const again = await put(id, { status: 'acknowledged' });
    expect([again.status, again.body.error.code]).toEqual([400, 1002]);
    const resolved = await put(id, { status: 'resolved', resolution: 'fixed' });
    expect(resolved.body.incident.status).toBe('resolved');
    expect(resolved.body.incident.assignments).toEqual([]);
    expect(typeof resolved.body.incident.resolved_at).toBe('string');
    const twice = await put(id, { status: 'resolved' });
    expect([twice.status, twice.body.error.code]).toEqual([400, 1001]);
    const edit = await put(id, { urgency: 'low' });
    expect([edit.status, edit.body.error.code]).toEqual([400, 1001]);
    const reopened = await put(id, { status: 'triggered' });
    expect(reopened.status).toBe(200);
    expect(reopened.body.incident.status).toBe('triggered');
    expect(reopened.body.incident.resolved_at).toBeNull();
    expect(reopened.body.incident.assignments.length).toBeGreaterThan(0);
    await put(id, { status: 'resolved' });
    const reopenedAcked = await pd(sim.url, 'sim-user-token', null)('PUT', `/incidents/${id}`, { incident: { type: 'incident_reference', status: 'acknowledged' } });
    expect(reopenedAcked.body.incident.status).toBe('acknowledged');
    expect(reopenedAcked.body.incident.assignments.map((a: any) => a.assignee.id)).toEqual(['PUSR001']);
    // Un-acknowledging is a responder action, not a REST status change.
    const back = await put(id, { status: 'triggered' });
    expect([back.status, back.body.error.code]).toEqual([400, 1003]);
    const bad = await put(id, { status: 'snoozed' });
    expect([bad.status, bad.body.error.code]).toEqual([400, 1003]);
  });

  it('merge: sources resolve with a merge_resolve_reason naming the target, alerts move, no merge event; refusals change nothing', async () => {
    const ui = async (title: string, extra: Record<string, unknown> = {}): Promise<any> => (await account()('POST', '/sim/incidents', { title, service_id: 'PSVC001', as: 'alice@example.com', ...extra })).body.incident;
    const target = await ui('target');
    const source = await ui('source', { alert_keys: ['a-1', 'a-2'] });
    const rest = (await account()('POST', '/incidents', newIncidentBody())).body.incident;
    expect([target.is_mergeable, source.is_mergeable, rest.is_mergeable]).toEqual([true, true, false]);
    const refused = await account()('PUT', `/incidents/${target.id}/merge`, { source_incidents: [{ id: source.id, type: 'incident_reference' }, { id: rest.id, type: 'incident_reference' }] });
    expect([refused.status, refused.body.error.code]).toEqual([400, 2001]);
    expect((await account()('GET', `/incidents/${source.id}`)).body.incident.status).toBe('triggered');
    expect((await account()('PUT', `/incidents/${target.id}/merge`, { source_incidents: [] })).status).toBe(400);
    expect((await pd(sim.url, 'sim-account-token', null)('PUT', `/incidents/${target.id}/merge`, { source_incidents: [{ id: source.id, type: 'incident_reference' }] })).status).toBe(400);

    const merged = await account()('PUT', `/incidents/${target.id}/merge`, { source_incidents: [{ id: source.id, type: 'incident_reference' }] });
    expect(merged.status).toBe(200);
    expect(merged.body.incident).toMatchObject({ id: target.id, type: 'incident_reference', summary: `[#${target.incident_number}] target` });
    const after = (await account()('GET', `/incidents/${source.id}`)).body.incident;
    expect(after).toMatchObject({ status: 'resolved', assignments: [], resolve_reason: { type: 'merge_resolve_reason', incident: { id: target.id, type: 'incident_reference' } } });
    expect((await account()('GET', `/incidents/${target.id}`)).body.incident).toMatchObject({ status: 'triggered', resolve_reason: null, alert_counts: { all: 2, triggered: 2 } });
    // Already merged: 1019; into a resolved target: refused.
    expect((await account()('PUT', `/incidents/${target.id}/merge`, { source_incidents: [{ id: source.id, type: 'incident_reference' }] })).body.error.code).toBe(1019);
    const other = await ui('other');
    await account()('PUT', `/incidents/${target.id}`, { incident: { type: 'incident_reference', status: 'resolved' } });
    expect((await account()('PUT', `/incidents/${target.id}/merge`, { source_incidents: [{ id: other.id, type: 'incident_reference' }] })).status).toBe(400);
    expect((await account()('GET', `/incidents/${other.id}`)).body.incident.status).toBe('triggered');
  });

  it('priority accepts a reference or a name; an unknown one is 1020', async () => {
    const id = (await account()('POST', '/incidents', newIncidentBody())).body.incident.id;
    const byName = await account()('PUT', `/incidents/${id}`, { incident: { type: 'incident_reference', priority: 'P2' } });
    expect(byName.body.incident.priority.id).toBe('PPRI002');
    const byRef = await account()('PUT', `/incidents/${id}`, { incident: { type: 'incident_reference', priority: { id: 'PPRI005', type: 'priority_reference' } } });
    expect(byRef.body.incident.priority.summary).toBe('P5');
    const unknown = await account()('PUT', `/incidents/${id}`, { incident: { type: 'incident_reference', priority: 'P9' } });
    expect([unknown.status, unknown.body.error.code]).toEqual([400, 1020]);
  });

  it('pagination: limit capped at 100, offset+limit ≤ 10,000, more/total as documented; filters and sort', async () => {
    for (let i = 0; i < 7; i++) {
      await account()('POST', '/incidents', newIncidentBody({ title: `n${i}`, urgency: i % 2 ? 'low' : 'high', service: { id: i < 4 ? 'PSVC001' : 'PSVC002', type: 'service_reference' } }));
    }
    const page = await account()('GET', '/incidents?limit=3&offset=2&total=true&sort_by=incident_number:desc');
    expect(page.body).toMatchObject({ limit: 3, offset: 2, more: true, total: 7 });
    expect(page.body.incidents.map((i: any) => i.incident_number)).toEqual([5, 4, 3]);
    expect((await account()('GET', '/incidents?limit=500')).body.limit).toBe(100);
    expect((await account()('GET', '/incidents')).body).toMatchObject({ limit: 25, offset: 0, more: false, total: null });
    const tooFar = await account()('GET', '/incidents?offset=9950&limit=100');
    expect([tooFar.status, tooFar.body.error.code]).toEqual([400, 2001]);
    const filtered = await account()('GET', '/incidents?service_ids[]=PSVC002&urgencies[]=low');
    expect(filtered.body.incidents.map((i: any) => i.title)).toEqual(['n5']);
    const userFilter = await account()('GET', '/incidents?user_ids[]=PUSR004&date_range=all');
    expect(userFilter.body.incidents.every((i: any) => i.assignments.some((a: any) => a.assignee.id === 'PUSR004'))).toBe(true);
    const badSort = await account()('GET', '/incidents?sort_by=title');
    expect(badSort.status).toBe(400);
    const future = await account()('GET', `/incidents?since=${new Date(Date.now() + 3600000).toISOString()}&until=${new Date(Date.now() + 7200000).toISOString()}`);
    expect(future.body.incidents).toEqual([]);
    const byNumber = await account()('GET', '/incidents/3');
    expect(byNumber.body.incident.title).toBe('n2');
  });

  it('bulk update applies up to 250 incidents and answers 413 beyond', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await account()('POST', '/incidents', newIncidentBody({ title: `b${i}` }))).body.incident.id);
    const res = await account()('PUT', '/incidents', { incidents: ids.map((id) => ({ id, type: 'incident_reference', status: 'resolved' })) });
    expect(res.status).toBe(200);
    expect(res.body.incidents.map((i: any) => i.status)).toEqual(['resolved', 'resolved', 'resolved']);
    const big = await account()('PUT', '/incidents', { incidents: Array.from({ length: 251 }, () => ({ id: ids[0], type: 'incident_reference', status: 'acknowledged' })) });
    expect(big.status).toBe(413);
  });

  it('notes, log entries and users/me', async () => {
    const id = (await account()('POST', '/incidents', newIncidentBody({ body: { type: 'incident_body', details: 'disk at 97%' } }))).body.incident.id;
    const note = await account()('POST', `/incidents/${id}/notes`, { note: { content: 'on it' } });
    expect(note.status).toBe(201);
    expect(note.body.note.user.id).toBe('PBOT001');
    expect((await account()('GET', `/incidents/${id}/notes`)).body.notes.map((n: any) => n.content)).toEqual(['on it']);
    const log = await account()('GET', `/incidents/${id}/log_entries?include[]=channels`);
    const trigger = log.body.log_entries.find((e: any) => e.type === 'trigger_log_entry');
    expect(trigger.channel.details).toBe('disk at 97%');
    expect((await pd(sim.url, 'sim-bot-token', null)('GET', '/users/me')).body.user.email).toBe('incident-sync-bot@example.com');
    expect((await account()('GET', '/users/me')).status).toBe(400);
  });

  it('on-calls: filters by schedule and policy, windows, permanent user on-calls', async () => {
    const now = Date.now();
    const all = (await account()('GET', '/oncalls')).body.oncalls;
    expect(all.length).toBe(4); // two policies × (one schedule level + one direct user level)
    const bySchedule = (await account()('GET', '/oncalls?schedule_ids[]=PSCH001')).body.oncalls;
    expect(bySchedule.map((o: any) => [o.escalation_policy.id, o.escalation_level, o.schedule.id])).toEqual([['PEP0001', 1, 'PSCH001']]);
    const byPolicy = (await account()('GET', '/oncalls?escalation_policy_ids[]=PEP0002')).body.oncalls;
    expect(byPolicy.map((o: any) => o.escalation_level)).toEqual([1, 2]);
    expect(byPolicy[1]).toMatchObject({ schedule: null, start: null, end: null, user: { id: 'PUSR001' } });
    const week = (await account()('GET', `/oncalls?schedule_ids[]=PSCH001&since=${new Date(now).toISOString()}&until=${new Date(now + 3 * 86400000).toISOString()}`)).body.oncalls;
    expect(week.length).toBe(4); // daily shifts overlapping a 3-day window
    expect(new Set(week.map((o: any) => o.user.id))).toEqual(new Set(['PUSR001', 'PUSR002']));
    const earliest = (await account()('GET', `/oncalls?schedule_ids[]=PSCH001&earliest=true&since=${new Date(now).toISOString()}&until=${new Date(now + 3 * 86400000).toISOString()}`)).body.oncalls;
    expect(earliest.length).toBe(2);
    expect((await account()('GET', `/oncalls?until=${new Date(now + 100 * 86400000).toISOString()}`)).status).toBe(400);
  });

  it('logs requests for end-to-end assertions, Authorization redacted, and they validate as PagerDuty requests', async () => {
    await account()('POST', '/incidents', newIncidentBody({ urgency: 'low' }));
    await account()('GET', '/incidents?statuses[]=triggered&statuses[]=acknowledged');
    const log = (await (await fetch(`${sim.url}/sim/requests?since=0`)).json()) as any;
    expect(log.requests.map((r: any) => [r.method, r.path, r.status])).toEqual([['POST', '/incidents', 201], ['GET', '/incidents', 200]]);
    expect(log.requests[0].headers.authorization).toBe('REDACTED');
    expect(log.requests[0].headers.from).toBe('incident-sync-bot@example.com');
    expect(log.requests[1].query['statuses[]']).toEqual(['triggered', 'acknowledged']);
    for (const r of log.requests) expect(validateRequest(r.method, r.path, r.body ?? undefined, { query: r.query, headers: r.headers })).toEqual([]);
    expect(JSON.stringify(log)).not.toContain('sim-account-token');
    const later = (await (await fetch(`${sim.url}/sim/requests?since=${log.requests[0].seq}`)).json()) as any;
    expect(later.requests).toHaveLength(1);
  });
});

describe('rate limits per token', () => {
  let sim: Sim;
  beforeAll(async () => {
    sim = await bootSim({ SIM_RATE_LIMIT_PER_MINUTE: 5, SIM_CREATE_RATE_LIMIT_PER_MINUTE: 2, SIM_RATE_LIMIT_WINDOW_MS: 1500 });
  });
  afterAll(async () => sim.close());

  it('answers 429 with the error body and ratelimit-* headers when a token exceeds its limit, and recovers after the reset', async () => {
    const api = pd(sim.url);
    const seen: Awaited<ReturnType<ReturnType<typeof pd>>>[] = [];
    for (let i = 0; i < 6; i++) seen.push(await api('GET', '/priorities'));
    expect(seen.slice(0, 5).map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(seen.map((r) => r.headers.get('ratelimit-remaining'))).toEqual(['4', '3', '2', '1', '0', '0']);
    const limited = seen[5]!;
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ error: { message: 'Rate Limit Exceeded', code: 2020 } });
    expect(limited.headers.get('ratelimit-limit')).toBe('5');
    const reset = Number(limited.headers.get('ratelimit-reset'));
    expect(reset).toBeGreaterThanOrEqual(1);
    expect(reset).toBeLessThanOrEqual(2);
    // Another token has its own budget; a user key counts against its user.
    expect((await pd(sim.url, 'sim-user-token', null)('GET', '/priorities')).status).toBe(200);
    await new Promise((r) => setTimeout(r, reset * 1000));
    const after = await api('GET', '/priorities');
    expect(after.status).toBe(200);
    expect(after.headers.get('ratelimit-remaining')).toBe('4');
  });

  it('POST /incidents has its own, lower limit', async () => {
    await new Promise((r) => setTimeout(r, 1600));
    const api = pd(sim.url, 'sim-bot-token', null);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await api('POST', '/incidents', newIncidentBody({ title: `r${i}` }))).status);
    expect(statuses).toEqual([201, 201, 429]);
    expect((await api('GET', '/priorities')).status).toBe(200);
  });
});

describe('REST fault injection', () => {
  let sim: Sim;
  beforeAll(async () => {
    sim = await bootSim({ SIM_FAULTS: JSON.stringify({ latency_ms: 400, path: '^/services' }) });
  });
  afterAll(async () => sim.close());
  const faults = (body: unknown) => fetch(`${sim.url}/sim/faults`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

  it('applies startup faults from SIM_FAULTS, scoped to a path', async () => {
    let t = Date.now();
    await pd(sim.url)('GET', '/services');
    expect(Date.now() - t).toBeGreaterThanOrEqual(390);
    t = Date.now();
    await pd(sim.url)('GET', '/priorities');
    expect(Date.now() - t).toBeLessThan(390);
  });

  it('error rate with a chosen status, 429 storms by request count, token scope, and clearing', async () => {
    expect((await faults({ rest_error_rate: 1, rest_error_status: 503, path: '^/incidents' })).status).toBe(200);
    const failed = await pd(sim.url)('GET', '/incidents');
    expect(failed.status).toBe(503);
    expect(failed.body.error.code).toBe(2000);
    expect((await pd(sim.url)('GET', '/users')).status).toBe(200);
    await faults({ storm_requests: 2, token: 'sim-user-token' });
    const user = pd(sim.url, 'sim-user-token', null);
    expect([(await user('GET', '/users')).status, (await user('GET', '/users')).status, (await user('GET', '/users')).status]).toEqual([429, 429, 200]);
    expect((await pd(sim.url)('GET', '/users')).status).toBe(200);
    await faults({ storm_seconds: 1 });
    const storm = await pd(sim.url)('GET', '/users');
    expect(storm.status).toBe(429);
    expect(storm.headers.get('ratelimit-remaining')).toBe('0');
    await fetch(`${sim.url}/sim/faults`, { method: 'DELETE' });
    expect((await pd(sim.url)('GET', '/users')).status).toBe(200);
    expect((await faults({ rest_error_rate: 'often' })).status).toBe(400);
  });
});

describe('custom seed (SIM_SEED_FILE), person triggers and reset', () => {
  let sim: Sim;
  let dir: string;
  beforeAll(async () => {
    const { mkdtempSync, readFileSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { DEFAULT_SEED_FILE } = await import('./seed');
    dir = mkdtempSync(join(tmpdir(), 'sim-seed-'));
    const seed = JSON.parse(readFileSync(DEFAULT_SEED_FILE, 'utf8'));
    seed.incidents = [{ title: 'Seeded outage', service_id: 'PSVC002', status: 'acknowledged', urgency: 'low', priority: 'P2', incident_key: 'seeded-1' }];
    seed.tokens.push({ token: 'my-own-token', kind: 'account' });
    writeFileSync(join(dir, 'seed.json'), JSON.stringify(seed));
    sim = await bootSim({ SIM_SEED_FILE: join(dir, 'seed.json') });
  });
  afterAll(async () => {
    await sim.close();
    const { rmSync } = await import('node:fs');
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts from the seed file and returns to it on reset', async () => {
    const api = pd(sim.url, 'my-own-token');
    const seeded = (await api('GET', '/incidents')).body.incidents;
    expect(seeded.map((i: any) => [i.title, i.status, i.urgency, i.priority.summary, i.incident_key])).toEqual([['Seeded outage', 'acknowledged', 'low', 'P2', 'seeded-1']]);
    const triggered = await fetch(`${sim.url}/sim/incidents`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ as: 'carol@example.com', title: 'Card declines', service_id: 'PSVC002', urgency: 'high' }) });
    expect(triggered.status).toBe(201);
    const body = (await triggered.json()) as any;
    expect(body.incident.last_status_change_by.id).toBe('PUSR003');
    expect((await api('GET', '/incidents')).body.incidents).toHaveLength(2);
    const trigger = (body: unknown): Promise<Response> => fetch(`${sim.url}/sim/incidents`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    // alert_keys: an incident that grouped child alerts has no incident_key; bad values change nothing.
    for (const bad of [{ alert_keys: [] }, { alert_keys: ['ok', 7] }, { alert_keys: 'k' }, { alert_keys: ['k'], incident_key: 'k' }]) {
      const refused = await trigger({ title: 'Grouped', service_id: 'PSVC002', ...bad });
      expect(refused.status).toBe(400);
      expect(JSON.stringify(((await refused.json()) as any).error.errors)).toMatch(/alert_keys/);
    }
    expect((await api('GET', '/incidents')).body.incidents).toHaveLength(2);
    const grouped = ((await (await trigger({ title: 'Grouped', service_id: 'PSVC002', alert_keys: ['a-1', 'a-2'] })).json()) as any).incident;
    expect(grouped).not.toHaveProperty('incident_key');
    expect(grouped.alert_counts).toEqual({ all: 2, triggered: 2, resolved: 0 });
    expect((await api('GET', '/incidents?incident_key=a-2&date_range=all')).body.incidents.map((i: any) => i.id)).toEqual([grouped.id]);
    await fetch(`${sim.url}/sim/reset`, { method: 'POST' });
    expect((await api('GET', '/incidents')).body.incidents.map((i: any) => i.title)).toEqual(['Seeded outage']);
    const state = (await (await fetch(`${sim.url}/sim/state`)).json()) as any;
    expect(JSON.stringify(state)).not.toContain('my-own-token');
  });
});

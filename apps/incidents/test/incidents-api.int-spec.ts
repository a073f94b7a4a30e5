import { ApiClient } from '@incident-sync/testing';
import { IncidentsHarness, startIncidentsApp, uniqueOrg } from './incidents-app.harness';

describe('incidents REST API (real Postgres + Kafka)', () => {
  let h: IncidentsHarness;
  let api: ApiClient;
  let org: string;

  beforeAll(async () => {
    h = await startIncidentsApp();
  });
  afterAll(async () => {
    await h?.close();
  });
  beforeEach(() => {
    org = uniqueOrg();
    api = h.api(org);
  });

  const outboxCount = async (incidentId: string): Promise<number> => {
    const rows = (await h.dataSource.query(`SELECT count(*)::int AS n FROM "${h.schema}"."outbox_message" WHERE "message_key" = $1`, [incidentId])) as { n: number }[];
    return rows[0]?.n ?? -1;
  };

  it('the migrations produce exactly the schema the entities declare (no drift in this service\'s tables)', async () => {
    const { upQueries } = await h.dataSource.driver.createSchemaBuilder().log();
    // outbox_message belongs to libs/persistence (its jsonb default is reported by TypeORM as drift).
    expect(upQueries.map((q) => q.query).filter((q) => /"(incident|incident_counter|timeline_entry|inbox_message)"/.test(q))).toEqual([]);
  });

  it('creates an incident with a per-organization number, an ETag and a created event in the outbox', async () => {
    const created = await api.post('/api/v1/incidents', {
      title: 'Checkout latency', severity: 'SEV-2', description: 'p99 > 2s', assigned_to: 'alice@example.com',
      escalation_policy: { id: 'PEP123', name: 'Payments' }, incident_type: 'latency',
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.body).toEqual({
      id: expect.any(String), number: 'INC-1', organization_id: org, title: 'Checkout latency', description: 'p99 > 2s',
      severity: 'SEV-2', status: 'open', assigned_to: 'alice@example.com', escalation_policy: { id: 'PEP123', name: 'Payments' },
      incident_type: 'latency', version: 1, created_at: expect.any(String), updated_at: expect.any(String), external_refs: [],
    });
    const second = await api.post('/api/v1/incidents', { title: 'Second', severity: 'SEV-4' });
    expect(second.body.number).toBe('INC-2');
    expect(second.body.escalation_policy).toBeNull();
    // Numbers are per organization.
    expect((await h.api(uniqueOrg()).post('/api/v1/incidents', { title: 'Other org', severity: 'SEV-3' })).body.number).toBe('INC-1');

    const [row] = (await h.dataSource.query(`SELECT payload FROM "${h.schema}"."outbox_message" WHERE "message_key" = $1`, [created.body.id])) as { payload: string }[];
    const event = JSON.parse(row?.payload ?? '{}');
    expect(event).toMatchObject({ changeType: 'created', incidentId: created.body.id, version: 1, origin: { type: 'api', actor: 'ci-key' } });
    expect(event.changes).toContainEqual({ field: 'title', oldValue: null, newValue: 'Checkout latency' });
    expect(event.changes).toContainEqual({ field: 'escalation_policy', oldValue: null, newValue: 'PEP123' });
  });

  it('concurrent creates in one organization get distinct consecutive numbers', async () => {
    const created = await Promise.all(Array.from({ length: 6 }, (_, i) => api.post('/api/v1/incidents', { title: `burst ${i}`, severity: 'SEV-4' })));
    expect(created.map((r) => r.status)).toEqual(Array(6).fill(201));
    expect(created.map((r) => r.body.number).sort()).toEqual(['INC-1', 'INC-2', 'INC-3', 'INC-4', 'INC-5', 'INC-6']);
  });

  it('gets by id and by number; another organization gets 404', async () => {
    const { body: incident } = await api.post('/api/v1/incidents', { title: 'A', severity: 'SEV-3' });
    expect((await api.get(`/api/v1/incidents/${incident.id}`)).body.id).toBe(incident.id);
    const byNumber = await api.get('/api/v1/incidents/inc-1');
    expect(byNumber.status).toBe(200);
    expect(byNumber.body.id).toBe(incident.id);
    expect(byNumber.headers.get('etag')).toBe('"1"');

    const stranger = h.api(uniqueOrg());
    for (const [method, path, body] of [
      ['GET', `/api/v1/incidents/${incident.id}`],
      ['PATCH', `/api/v1/incidents/${incident.id}`, { title: 'hijacked' }],
      ['POST', `/api/v1/incidents/${incident.id}/notes`, { body: 'hi' }],
      ['GET', `/api/v1/incidents/${incident.id}/timeline`],
      ['POST', `/api/v1/incidents/${incident.id}/reopen`],
    ] as const) {
      const res = await stranger.request(method, path, body);
      expect({ path, method, status: res.status, code: res.body.error?.code }).toEqual({ path, method, status: 404, code: 'NOT_FOUND' });
    }
    expect((await api.get('/api/v1/incidents/not-an-id')).status).toBe(404);
    expect((await api.get(`/api/v1/incidents/${incident.id}`)).body).toMatchObject({ title: 'A', version: 1 });
    expect(await outboxCount(incident.id)).toBe(1);
  });

  it('rejects bad input with 400 naming the field, and changes nothing', async () => {
    const bad = async (method: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; code: string; field: string }> => {
      const res = await api.request(method, path, body, headers);
      return { status: res.status, code: res.body.error?.code, field: res.body.error?.field };
    };
    expect(await bad('POST', '/api/v1/incidents', { title: 'x', severity: 'SEV-9' })).toEqual({ status: 400, code: 'VALIDATION_FAILED', field: 'severity' });
    expect(await bad('POST', '/api/v1/incidents', { severity: 'SEV-1' })).toEqual({ status: 400, code: 'VALIDATION_FAILED', field: 'title' });
    expect(await bad('POST', '/api/v1/incidents', { title: 'x', severity: 'SEV-1', status: 'paused' })).toEqual({ status: 400, code: 'VALIDATION_FAILED', field: 'status' });
    expect(await bad('POST', '/api/v1/incidents', { title: 'x', severity: 'SEV-1', assigned_to: 'bob' })).toEqual({ status: 400, code: 'VALIDATION_FAILED', field: 'assigned_to' });
    expect(await bad('POST', '/api/v1/incidents', { title: 'x', severity: 'SEV-1', escalation_policy: { name: 'no id' } })).toEqual({ status: 400, code: 'VALIDATION_FAILED', field: 'escalation_policy.id' });
    expect(await bad('POST', '/api/v1/incidents', { title: 'x', severity: 'SEV-1', colour: 'red' })).toEqual({ status: 400, code: 'VALIDATION_FAILED', field: 'colour' });
    expect((await api.get('/api/v1/incidents')).body.data).toEqual([]);

    const { body: incident } = await api.post('/api/v1/incidents', { title: 'A', severity: 'SEV-3' });
    const path = `/api/v1/incidents/${incident.id}`;
    expect(await bad('PATCH', path, { status: 'closed' })).toEqual({ status: 400, code: 'ILLEGAL_TRANSITION', field: 'status' });
    expect(await bad('PATCH', path, { status: 'done' })).toEqual({ status: 400, code: 'VALIDATION_FAILED', field: 'status' });
    expect(await bad('PATCH', path, { severity: 'high' })).toEqual({ status: 400, code: 'VALIDATION_FAILED', field: 'severity' });
    expect(await bad('PATCH', path, { title: null })).toEqual({ status: 400, code: 'VALIDATION_FAILED', field: 'title' });
    expect(await bad('PATCH', path, { title: 'B' }, { 'if-match': 'banana' })).toEqual({ status: 400, code: 'VALIDATION_FAILED', field: 'If-Match' });
    expect(await bad('POST', `${path}/notes`, { body: '' })).toEqual({ status: 400, code: 'VALIDATION_FAILED', field: 'body' });
    expect(await bad('GET', '/api/v1/incidents?status=open,paused', undefined)).toEqual({ status: 400, code: 'VALIDATION_FAILED', field: 'status' });
    expect(await bad('GET', '/api/v1/incidents?limit=0', undefined)).toEqual({ status: 400, code: 'VALIDATION_FAILED', field: 'limit' });
    expect(await bad('GET', '/api/v1/incidents?cursor=zzz', undefined)).toEqual({ status: 400, code: 'VALIDATION_FAILED', field: 'cursor' });
    expect(await bad('GET', '/api/v1/incidents?created_since=yesterday', undefined)).toEqual({ status: 400, code: 'VALIDATION_FAILED', field: 'created_since' });

    expect((await api.get(path)).body).toMatchObject({ title: 'A', status: 'open', severity: 'SEV-3', version: 1 });
    expect(await outboxCount(incident.id)).toBe(1);
    expect((await api.get(`${path}/timeline`)).body.data.map((e: { kind: string }) => e.kind)).toEqual(['created']);
  });

  it('updates partially, records old → new values in the timeline and one event per change', async () => {
    const { body: incident } = await api.post('/api/v1/incidents', { title: 'A', severity: 'SEV-3', assigned_to: 'a@example.com' });
    const path = `/api/v1/incidents/${incident.id}`;
    const updated = await h.api(org, 'oncall-key').patch(path, { severity: 'SEV-1', status: 'mitigated', assigned_to: null });
    expect(updated.status).toBe(200);
    expect(updated.headers.get('etag')).toBe('"2"');
    expect(updated.body).toMatchObject({ title: 'A', severity: 'SEV-1', status: 'mitigated', assigned_to: null, version: 2 });

    // Same values again: nothing changes, no version, no event.
    expect((await api.patch(path, { severity: 'SEV-1' })).body.version).toBe(2);
    expect(await outboxCount(incident.id)).toBe(2);

    const timeline = (await api.get(`${path}/timeline`)).body.data;
    expect(timeline.map((e: { kind: string; field: string | null; old_value: string | null; new_value: string | null; actor: string }) => [e.kind, e.field, e.old_value, e.new_value, e.actor])).toEqual([
      ['created', null, null, null, 'ci-key'],
      ['field_changed', 'severity', 'SEV-3', 'SEV-1', 'oncall-key'],
      ['status_changed', 'status', 'open', 'mitigated', 'oncall-key'],
      ['field_changed', 'assigned_to', 'a@example.com', null, 'oncall-key'],
    ]);
    expect(timeline[1].origin).toEqual({ type: 'api', integration_id: null, command_id: null });
  });

  it('walks the status table: resolve, close, refuse to reopen implicitly, reopen explicitly', async () => {
    const { body: incident } = await api.post('/api/v1/incidents', { title: 'A', severity: 'SEV-3' });
    const path = `/api/v1/incidents/${incident.id}`;
    expect((await api.patch(path, { status: 'resolved' })).body.status).toBe('resolved');
    expect((await api.patch(path, { status: 'closed' })).body.status).toBe('closed');
    expect((await api.patch(path, { status: 'open' })).status).toBe(400);
    expect((await api.patch(path, { status: 'resolved' })).status).toBe(400);
    const reopened = await api.post(`${path}/reopen`);
    expect(reopened.status).toBe(200);
    expect(reopened.body).toMatchObject({ status: 'open', version: 4 });
    expect((await api.post(`${path}/reopen`)).body.error).toMatchObject({ code: 'ILLEGAL_TRANSITION', field: 'status' });
    await api.patch(path, { status: 'resolved' });
    await api.patch(path, { status: 'closed' });
    expect((await api.patch(path, { status: 'open', reopen: true })).body).toMatchObject({ status: 'open', version: 7 });
  });

  it('concurrent PATCHes on one version: exactly one 200, the other 409, and one event', async () => {
    const { body: incident } = await api.post('/api/v1/incidents', { title: 'A', severity: 'SEV-3' });
    const path = `/api/v1/incidents/${incident.id}`;
    const results = await Promise.all([
      api.request('PATCH', path, { title: 'from alice' }, { 'if-match': '"1"' }),
      api.request('PATCH', path, { title: 'from bob' }, { 'if-match': '"1"' }),
      api.request('PATCH', path, { severity: 'SEV-1', version: 1 }),
    ]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409, 409]);
    const winner = results.find((r) => r.status === 200);
    for (const loser of results.filter((r) => r.status === 409)) expect(loser.body.error).toMatchObject({ code: 'VERSION_CONFLICT', field: 'version' });
    const now = (await api.get(path)).body;
    expect(now.version).toBe(2);
    expect(now).toMatchObject({ title: winner?.body.title, severity: winner?.body.severity });
    expect(await outboxCount(incident.id)).toBe(2);

    // Without If-Match or version the last write wins.
    expect((await api.patch(path, { title: 'unconditional' })).body).toMatchObject({ title: 'unconditional', version: 3 });
    expect((await api.request('PATCH', path, { title: 'star' }, { 'if-match': '*' })).body.version).toBe(4);
  });

  it('adds notes (a note_added event) and lists with filters and cursor pagination', async () => {
    const ids: string[] = [];
    for (const [title, severity, status, type] of [['a', 'SEV-1', 'open', 'db'], ['b', 'SEV-2', 'open', 'net'], ['c', 'SEV-1', 'mitigated', 'db'], ['d', 'SEV-4', 'resolved', 'db']] as const) {
      ids.push((await api.post('/api/v1/incidents', { title, severity, status, incident_type: type, assigned_to: 'Ops@Example.com' })).body.id);
    }
    const note = await api.post(`/api/v1/incidents/INC-1/notes`, { body: 'rolled back deploy 42' });
    expect(note.status).toBe(201);
    expect(note.body).toMatchObject({ kind: 'note', message: 'rolled back deploy 42', actor: 'ci-key' });
    const [row] = (await h.dataSource.query(`SELECT payload FROM "${h.schema}"."outbox_message" WHERE "message_key" = $1 ORDER BY seq DESC LIMIT 1`, [ids[0]])) as { payload: string }[];
    expect(JSON.parse(row?.payload ?? '{}')).toMatchObject({ changeType: 'note_added', changes: [], version: 1, note: { id: note.body.id, body: 'rolled back deploy 42', author: 'ci-key' } });

    const titles = async (query: string): Promise<string[]> => (await api.get(`/api/v1/incidents${query}`)).body.data.map((i: { title: string }) => i.title);
    expect(await titles('')).toEqual(['d', 'c', 'b', 'a']);
    expect(await titles('?status=open')).toEqual(['b', 'a']);
    expect(await titles('?status=open,mitigated&severity=SEV-1')).toEqual(['c', 'a']);
    expect(await titles('?incident_type=db')).toEqual(['d', 'c', 'a']);
    expect(await titles('?assigned_to=ops@example.com')).toEqual(['d', 'c', 'b', 'a']);
    expect(await titles(`?updated_since=${encodeURIComponent(new Date(Date.now() + 60000).toISOString())}`)).toEqual([]);

    const first = await api.get('/api/v1/incidents?limit=3');
    expect(first.body.data).toHaveLength(3);
    expect(first.body.next_cursor).toEqual(expect.any(String));
    const second = await api.get(`/api/v1/incidents?limit=3&cursor=${first.body.next_cursor}`);
    expect(second.body).toEqual({ data: [expect.objectContaining({ title: 'a' })], next_cursor: null });
  });

  it('created_since lists only incidents created at or after the time', async () => {
    await api.post('/api/v1/incidents', { title: 'old', severity: 'SEV-3' });
    const [row] = (await h.dataSource.query('SELECT clock_timestamp() AS now')) as { now: Date }[];
    const now = row?.now ?? new Date();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await api.post('/api/v1/incidents', { title: 'new', severity: 'SEV-3' });
    const listed = await api.get(`/api/v1/incidents?created_since=${encodeURIComponent(new Date(now).toISOString())}`);
    expect(listed.body.data.map((i: { title: string }) => i.title)).toEqual(['new']);
    expect((await api.get('/api/v1/incidents?created_since=2000-01-01T00:00:00Z')).body.data.map((i: { title: string }) => i.title)).toEqual(['new', 'old']);
  });

  it('backfill-announce (internal) publishes the current state as a backfill change for one integration, and changes nothing', async () => {
    const { body: incident } = await api.post('/api/v1/incidents', { title: 'announce me', severity: 'SEV-2', incident_type: 'db' });
    await api.patch(`/api/v1/incidents/${incident.id}`, { title: 'announced' });
    const jobId = '6f1c1b0e-2a43-4c2e-9b1e-7d1f2a3b4c5d';
    const eventId = '0b7e8a52-3c1d-4e5f-8a9b-1c2d3e4f5a6b';
    const announced = await api.post(`/internal/v1/incidents/${incident.id}/backfill-announce`, { organization_id: org, integration_id: 'int-1', job_id: jobId, event_id: eventId });
    expect(announced).toMatchObject({ status: 202, body: { incident_id: incident.id, version: 2, event_id: eventId } });
    const [row] = (await h.dataSource.query(`SELECT payload FROM "${h.schema}"."outbox_message" WHERE "message_key" = $1 ORDER BY seq DESC LIMIT 1`, [incident.id])) as { payload: string }[];
    expect(JSON.parse(row?.payload ?? '{}')).toMatchObject({
      eventId, changeType: 'backfill', changes: [], version: 2, incident: { title: 'announced', incidentType: 'db' }, backfill: { integrationId: 'int-1', jobId },
    });
    expect((await api.get(`/api/v1/incidents/${incident.id}`)).body.version).toBe(2);
    const stranger = await h.api(uniqueOrg()).post(`/internal/v1/incidents/${incident.id}/backfill-announce`, { organization_id: uniqueOrg(), integration_id: 'int-1', job_id: jobId, event_id: eventId });
    expect(stranger.status).toBe(404);
    const badBody = await api.post(`/internal/v1/incidents/${incident.id}/backfill-announce`, { organization_id: org, integration_id: 'int-1', job_id: 'nope', event_id: eventId });
    expect({ status: badBody.status, field: badBody.body.error?.field }).toEqual({ status: 400, field: 'job_id' });
  });
});

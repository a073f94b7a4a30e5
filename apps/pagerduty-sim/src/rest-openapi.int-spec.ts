import { PagerDutyOpenApiValidator } from '@incident-sync/pagerduty/openapi';
import { bootSim, Http, newIncidentBody, pd, webhookReceiver } from '../test/sim-test-harness';

/**
 * Every response the simulator gives for the REST endpoints it implements, successes and
 * errors, validated against PagerDuty's official OpenAPI document (ajv, see
 * libs/pagerduty/src/openapi). Table-driven: each row is one request of a realistic session.
 */
describe('REST responses validate against the official OpenAPI document', () => {
  const validator = PagerDutyOpenApiValidator.instance();
  let sim: Awaited<ReturnType<typeof bootSim>>;
  let receiver: Awaited<ReturnType<typeof webhookReceiver>>;
  const seen: { label: string; method: string; path: string; status: number; body: unknown }[] = [];

  beforeAll(async () => {
    sim = await bootSim({ SIM_RATE_LIMIT_PER_MINUTE: 5000 });
    receiver = await webhookReceiver();
    const account = pd(sim.url);
    const user = pd(sim.url, 'sim-user-token', null);
    const call = async (label: string, method: string, path: string, body?: unknown, client = account, headers: Record<string, string> = {}): Promise<Http> => {
      const res = await client(method, path, body, headers);
      seen.push({ label, method, path, status: res.status, body: res.body });
      return res;
    };

    const created = await call('create incident', 'POST', '/incidents', newIncidentBody({ urgency: 'high', priority: { id: 'PPRI002', type: 'priority_reference' }, incident_key: 'disk-full-1', body: { type: 'incident_body', details: 'Disk 95% full' } }));
    const id = created.body.incident.id as string;
    await call('create assigned', 'POST', '/incidents', newIncidentBody({ title: 'Assigned', assignments: [{ assignee: { id: 'PUSR002', type: 'user_reference' } }] }));
    await call('create with policy', 'POST', '/incidents', newIncidentBody({ title: 'Delegated', escalation_policy: { id: 'PEP0002', type: 'escalation_policy_reference' }, urgency: 'low' }));
    await call('create duplicate key', 'POST', '/incidents', newIncidentBody({ incident_key: 'disk-full-1' }));
    await call('create without From', 'POST', '/incidents', newIncidentBody(), account, { From: '' });
    await call('create bad service', 'POST', '/incidents', newIncidentBody({ service: { id: 'PNOPE00', type: 'service_reference' } }));
    // An incident with child alerts: no incident_key, listed by its alerts' alert_key.
    await account('POST', '/sim/incidents', { title: 'Grouped alerts', service_id: 'PSVC001', alert_keys: ['disk-full-1'] });
    const byKey = await call('list by incident_key, keyless grouped incident too', 'GET', '/incidents?incident_key=disk-full-1&date_range=all');
    expect(byKey.body.incidents.map((i: { incident_key?: string; alert_counts: { all: number } }) => [i.incident_key, i.alert_counts.all])).toEqual([['disk-full-1', 0], [undefined, 1]]);
    // Merges: UI-created incidents are mergeable; the source resolves with a merge_resolve_reason.
    const mergeTarget = (await account('POST', '/sim/incidents', { title: 'Merge target', service_id: 'PSVC001', as: 'alice@example.com' })).body.incident.id as string;
    const mergeSource = (await account('POST', '/sim/incidents', { title: 'Merge source', service_id: 'PSVC001', as: 'alice@example.com' })).body.incident.id as string;
    await call('merge', 'PUT', `/incidents/${mergeTarget}/merge`, { source_incidents: [{ id: mergeSource, type: 'incident_reference' }] });
    await call('merge again (already merged)', 'PUT', `/incidents/${mergeTarget}/merge`, { source_incidents: [{ id: mergeSource, type: 'incident_reference' }] });
    await call('merge a REST-created incident (not mergeable)', 'PUT', `/incidents/${mergeTarget}/merge`, { source_incidents: [{ id, type: 'incident_reference' }] });
    await call('merged source', 'GET', `/incidents/${mergeSource}`);
    await call('get incident', 'GET', `/incidents/${id}`);
    await call('get incident by number', 'GET', '/incidents/1');
    await call('get missing incident', 'GET', '/incidents/QNOTTHERE00000');
    await call('list incidents', 'GET', '/incidents?statuses[]=triggered&sort_by=incident_number:desc&limit=2&total=true');
    await call('list incidents, bad limit', 'GET', '/incidents?offset=9990&limit=20');
    await call('acknowledge', 'PUT', `/incidents/${id}`, { incident: { type: 'incident_reference', status: 'acknowledged' } });
    await call('acknowledge again', 'PUT', `/incidents/${id}`, { incident: { type: 'incident_reference', status: 'acknowledged' } });
    await call('priority by name', 'PUT', `/incidents/${id}`, { incident: { type: 'incident_reference', priority: 'P1' } });
    await call('reassign', 'PUT', `/incidents/${id}`, { incident: { type: 'incident_reference', assignments: [{ assignee: { id: 'PUSR003', type: 'user_reference' } }] } });
    await call('escalate', 'PUT', `/incidents/${id}`, { incident: { type: 'incident_reference', escalation_level: 2 } });
    await call('delegate', 'PUT', `/incidents/${id}`, { incident: { type: 'incident_reference', escalation_policy: { id: 'PEP0002', type: 'escalation_policy_reference' } } });
    await call('update without From', 'PUT', `/incidents/${id}`, { incident: { type: 'incident_reference', urgency: 'low' } }, account, { From: '' });
    await call('add note', 'POST', `/incidents/${id}/notes`, { note: { content: 'Looking into it' } });
    await call('list notes', 'GET', `/incidents/${id}/notes`);
    await call('resolve', 'PUT', `/incidents/${id}`, { incident: { type: 'incident_reference', status: 'resolved', resolution: 'Freed space' } });
    await call('edit resolved', 'PUT', `/incidents/${id}`, { incident: { type: 'incident_reference', urgency: 'low' } });
    await call('reopen', 'PUT', `/incidents/${id}`, { incident: { type: 'incident_reference', status: 'triggered' } });
    await call('bulk update', 'PUT', '/incidents', { incidents: [{ id, type: 'incident_reference', status: 'acknowledged' }, { id: '2', type: 'incident_reference', status: 'resolved' }] });
    await call('bulk too many', 'PUT', '/incidents', { incidents: Array.from({ length: 251 }, () => ({ id, type: 'incident_reference', status: 'resolved' })) });
    const logs = await call('incident log entries', 'GET', `/incidents/${id}/log_entries?include[]=channels`);
    await call('account log entries', 'GET', '/log_entries?limit=5');
    await call('one log entry', 'GET', `/log_entries/${logs.body.log_entries[0].id}?include[]=channels`);
    await call('list users', 'GET', '/users?query=alice');
    await call('get user', 'GET', '/users/PUSR002');
    await call('users/me with user token', 'GET', '/users/me', undefined, user);
    await call('users/me with account token', 'GET', '/users/me');
    await call('list services', 'GET', '/services?sort_by=name:desc');
    await call('get service', 'GET', '/services/PSVC001');
    await call('missing service', 'GET', '/services/PNOPE00');
    await call('list escalation policies', 'GET', '/escalation_policies');
    await call('get escalation policy', 'GET', '/escalation_policies/PEP0001');
    await call('list schedules', 'GET', '/schedules');
    await call('get schedule', 'GET', '/schedules/PSCH001?since=2026-11-01T00:00:00Z&until=2026-11-08T00:00:00Z');
    await call('on-calls now', 'GET', '/oncalls');
    await call('on-calls window, filtered', 'GET', `/oncalls?schedule_ids[]=PSCH001&escalation_policy_ids[]=PEP0001&since=${new Date().toISOString()}&until=${new Date(Date.now() + 3 * 86400000).toISOString()}`);
    await call('priorities', 'GET', '/priorities');
    await call('abilities', 'GET', '/abilities');
    await call('ability present', 'GET', '/abilities/teams');
    await call('ability absent', 'GET', '/abilities/sso');
    // An account without priorities (PUT /sim/account): GET /priorities answers 402, a write naming one 400 Invalid Priority.
    const abilities = (await account('GET', '/abilities')).body.abilities as string[];
    await account('PUT', '/sim/account', { abilities: abilities.filter((a) => a !== 'priorities') });
    await call('abilities without priorities', 'GET', '/abilities');
    await call('priorities absent', 'GET', '/priorities');
    await call('ability priorities absent', 'GET', '/abilities/priorities');
    const noPriority = await call('create with a priority, none on the account', 'POST', '/incidents', newIncidentBody({ priority: { id: 'PPRI002', type: 'priority_reference' } }));
    expect([noPriority.status, noPriority.body.error?.code]).toEqual([400, 1020]);
    await account('PUT', '/sim/account', { abilities });
    const sub = await call('create subscription', 'POST', '/webhook_subscriptions', {
      webhook_subscription: { type: 'webhook_subscription', delivery_method: { type: 'http_delivery_method', url: receiver.url, custom_headers: [{ name: 'X-Team', value: 'sre' }] }, description: 'test', events: ['incident.triggered'], filter: { type: 'service_reference', id: 'PSVC001' } },
    });
    const subId = sub.body.webhook_subscription.id as string;
    await call('create account subscription', 'POST', '/webhook_subscriptions', {
      webhook_subscription: { type: 'webhook_subscription', delivery_method: { type: 'http_delivery_method', url: receiver.url }, events: ['incident.resolved'], filter: { type: 'account_reference' } },
    });
    await call('create subscription, no events', 'POST', '/webhook_subscriptions', { webhook_subscription: { type: 'webhook_subscription', delivery_method: { type: 'http_delivery_method', url: receiver.url }, events: [], filter: { type: 'account_reference' } } });
    await call('list subscriptions', 'GET', '/webhook_subscriptions?filter_type=service&filter_id=PSVC001');
    await call('get subscription', 'GET', `/webhook_subscriptions/${subId}`);
    await call('update subscription', 'PUT', `/webhook_subscriptions/${subId}`, { webhook_subscription: { description: 'changed', events: ['incident.triggered', 'incident.resolved'] } });
    await call('enable subscription', 'POST', `/webhook_subscriptions/${subId}/enable`);
    await call('ping subscription', 'POST', `/webhook_subscriptions/${subId}/ping`);
    await call('delete subscription', 'DELETE', `/webhook_subscriptions/${subId}`);
    await call('get deleted subscription', 'GET', `/webhook_subscriptions/${subId}`);
    await call('unknown token', 'GET', '/incidents', undefined, pd(sim.url, 'not-a-token'));
    sim.sim.limiter.reset();
    sim.sim.limiter.limits = { ...sim.sim.limiter.limits, perWindow: 1 };
    await call('first request in window', 'GET', '/priorities');
    await call('rate limited', 'GET', '/priorities');
  });

  afterAll(async () => {
    await sim?.close();
    await receiver?.close();
  });

  it('covers success and error statuses of every implemented operation', () => {
    const operations = new Set(seen.map((s) => validator.matchOperation(s.method, s.path)?.operationId));
    for (const op of ['createIncident', 'listIncidents', 'updateIncidents', 'getIncident', 'updateIncident', 'listIncidentNotes', 'createIncidentNote', 'listIncidentLogEntries', 'listLogEntries', 'getLogEntry',
      'listUsers', 'getUser', 'getCurrentUser', 'listServices', 'getService', 'listEscalationPolicies', 'getEscalationPolicy', 'listSchedules', 'getSchedule', 'listOnCalls', 'listPriorities',
      'listAbilities', 'getAbility', 'createWebhookSubscription', 'listWebhookSubscriptions', 'getWebhookSubscription', 'updateWebhookSubscription', 'deleteWebhookSubscription',
      'enableWebhookSubscription', 'testWebhookSubscription']) {
      expect(operations).toContain(op);
    }
    const statuses = new Set(seen.map((s) => s.status));
    for (const status of [200, 201, 202, 204, 400, 401, 402, 404, 413, 429]) expect(statuses).toContain(status);
  });

  it.each([0])('every recorded response matches its documented schema', () => {
    const failures = seen
      .map((s) => ({ ...s, errors: validator.validateResponse(s.method, s.path, s.status, s.body) }))
      .filter((s) => s.errors.length > 0)
      .map((s) => `${s.label}: ${s.method} ${s.path} → ${s.status}\n    ${s.errors.slice(0, 5).join('\n    ')}`);
    expect(failures).toEqual([]);
  });

  it('the validator is not vacuous: a broken incident fails', () => {
    const ok = seen.find((s) => s.label === 'get incident');
    const broken = JSON.parse(JSON.stringify(ok!.body));
    broken.incident.status = 'on fire';
    delete broken.incident.id;
    expect(validator.validateResponse('GET', '/incidents/{id}', 200, broken).length).toBeGreaterThan(0);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PagerDutyOpenApiValidator, validateRequest, validateResponse } from './pagerduty-openapi.validator';

const examples = join(__dirname, '..', '..', 'fixtures', 'rest-examples');
const read = (f: string): any => JSON.parse(readFileSync(join(examples, f), 'utf8'));

describe('PagerDuty OpenAPI validator', () => {
  const validator = PagerDutyOpenApiValidator.instance();

  it('loads once per process and applies every documented patch', () => {
    expect(PagerDutyOpenApiValidator.instance()).toBe(validator);
    expect(validator.patches.hoistedRefs).toBeGreaterThan(100);
    expect(validator.patches.nullableRewritten).toBeGreaterThan(100);
    expect(validator.patches.exclusiveBoundsRewritten).toBeGreaterThan(0);
  });

  it('matches concrete paths and templates, literal segments first', () => {
    expect(validator.matchOperation('GET', '/users/me')?.operationId).toBe('getCurrentUser');
    expect(validator.matchOperation('get', '/users/PXPGF42')).toMatchObject({ operationId: 'getUser', params: { id: 'PXPGF42' } });
    expect(validator.matchOperation('PUT', '/incidents/{id}')?.operationId).toBe('updateIncident');
    expect(validator.matchOperation('GET', '/incidents/PX?limit=1')?.operationId).toBe('getIncident');
    expect(validator.matchOperation('GET', '/nope')).toBeNull();
  });

  // The document's own examples for the endpoints we use. Those listed are known to violate
  // the document's schemas (FACTS §6: 92 of 449 response examples do); each for a reason named.
  const knownBadExamples: Record<string, string> = {
    'get_incidents.200.response.json': 'alert_grouping.ended_at: null for a non-nullable string',
    'get_incidents_id.200.response.json': 'alert_grouping.ended_at: null for a non-nullable string',
    'get_schedules_id.200.response.json': 'next_oncall_for_user.user: an array where an object is declared',
    'get_services.200.response.json': 'support_hours times without time zone; overlapping alert_grouping_parameters oneOf',
    'get_services_id.200.response.json': 'support_hours times without time zone',
    'get_users_me.200.response.json': 'created_via_sso: the string "true," for a boolean',
  };
  const files = readdirSync(examples).filter((f) => /\.(\d{3})\.response\.json$/.test(f));
  it.each(files)('%s', (file) => {
    const [, method, rawPath, status] = /^(get|post|put|delete)_(.+?)\.(\d{3})\./.exec(file)!;
    const path = `/${rawPath!}`.replace(/_id(?=_|$)/g, '/{id}').replace(/_(?!(?:entries|policies|subscriptions)\b)/g, '/');
    const errors = validateResponse(method!, path, Number(status), read(file));
    if (knownBadExamples[file]) expect(errors.length).toBeGreaterThan(0);
    else expect(errors).toEqual([]);
  });

  it('validates request bodies the way the product will send them', () => {
    expect(validateRequest('POST', '/incidents', read('post_incidents.request.request.json'))).toEqual([]);
    expect(validateRequest('PUT', '/incidents/PT4KHLK', read('put_incidents_id.request.request.json'))).toEqual([]);
    // Patched: body.details is a string (FACTS §2.3).
    expect(validateRequest('POST', '/incidents', { incident: { type: 'incident', title: 't', service: { id: 'P1', type: 'service_reference' }, body: { type: 'incident_body', details: 'text' } } })).toEqual([]);
    expect(validateRequest('POST', '/incidents', { incident: { type: 'incident', title: 't', service: { id: 'P1', type: 'service_reference' }, body: { type: 'incident_body', details: { a: 1 } } } }).length).toBeGreaterThan(0);
    expect(validateRequest('POST', '/incidents', { incident: { type: 'incident', service: { id: 'P1', type: 'service_reference' }, urgency: 'urgent' } }).length).toBeGreaterThan(0);
    expect(validateRequest('PUT', '/incidents/PX', { incident: { type: 'incident_reference', status: 'snoozed' } }).join()).toMatch(/status/);
  });

  it('checks query parameters and required headers when given', () => {
    expect(validateRequest('GET', '/incidents', undefined, { query: { 'statuses[]': ['triggered', 'acknowledged'], limit: '10' } })).toEqual([]);
    expect(validateRequest('GET', '/incidents', undefined, { query: { 'statuses[]': 'open' } }).join()).toMatch(/statuses/);
    expect(validateRequest('GET', '/incidents', undefined, { query: { limit: 'ten' } }).join()).toMatch(/limit must be an integer/);
    const headers = { accept: 'application/vnd.pagerduty+json;version=2', authorization: 'Token token=abc_+-' };
    expect(validateRequest('POST', '/incidents/PX/notes', { note: { content: 'x' } }, { headers: { ...headers, from: 'bot@example.com' } })).toEqual([]);
    expect(validateRequest('POST', '/incidents/PX/notes', { note: { content: 'x' } }, { headers })).toEqual(['header From is required']);
  });

  it('documented and patched statuses', () => {
    expect(validateResponse('POST', '/webhook_subscriptions', 201, read('post_webhook_subscriptions.200.response.json'))).toEqual([]);
    expect(validateResponse('GET', '/users/me', 401, { error: { message: 'Authentication failed', code: 2006 } })).toEqual([]);
    expect(validateResponse('GET', '/users/me', 401, { error: { message: 'Authentication failed', code: 'x' } }).length).toBeGreaterThan(0);
    expect(validateResponse('GET', '/incidents', 418, {})).toEqual([expect.stringMatching(/status 418 is not documented/)]);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '@incident-sync/contracts';
import { isPing, parseWebhookEnvelope, pdIncidentIdOf } from './webhook-envelope';

const fixtures = join(__dirname, '..', '..', '..', 'libs', 'pagerduty', 'fixtures', 'webhooks');
const load = (path: string): unknown => JSON.parse(readFileSync(join(fixtures, path), 'utf8'));

const field = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    return error instanceof AppError && error.code === 'VALIDATION_FAILED' ? error.field : 'not a validation error';
  }
  return undefined;
};

describe('PagerDuty v3 webhook envelope', () => {
  it('given an incident event, the incident id is data.id', () => {
    const parsed = parseWebhookEnvelope(load('zulip-fixtures/triggered_v3.json'));
    expect(parsed.eventType).toBe('incident.triggered');
    expect(parsed.resourceType).toBe('incident');
    expect(parsed.pdIncidentId).toBe((load('zulip-fixtures/triggered_v3.json') as { event: { data: { id: string } } }).event.data.id);
  });

  it('given a note (incident.annotated), the incident id is data.incident.id', () => {
    const body = load('zulip-fixtures/annotated_v3.json') as { event: { data: { type: string; incident: { id: string } } } };
    expect(body.event.data.type).toBe('incident_note');
    expect(parseWebhookEnvelope(body).pdIncidentId).toBe(body.event.data.incident.id);
  });

  it('every captured real delivery parses, and incident.* events always yield an incident id', () => {
    const dir = join(fixtures, 'zulip-fixtures');
    for (const file of readdirSync(dir)) {
      const parsed = parseWebhookEnvelope(load(`zulip-fixtures/${file}`));
      if (parsed.eventType.startsWith('incident.')) expect({ file, id: parsed.pdIncidentId }).toEqual({ file, id: expect.any(String) });
    }
  });

  it('a service event and the ping have no incident id; the ping is recognised', () => {
    expect(parseWebhookEnvelope(load('official/service.updated.json')).pdIncidentId).toBeNull();
    const ping = parseWebhookEnvelope(load('official/pagey.ping.json'));
    expect(ping.pdIncidentId).toBeNull();
    expect(isPing(ping)).toBe(true);
  });

  it('an unknown event type is still a valid envelope', () => {
    const parsed = parseWebhookEnvelope({ event: { id: 'E1', event_type: 'incident.brand_new_thing', resource_type: 'incident', occurred_at: '2026-01-01T00:00:00.000Z', data: { type: 'mystery', incident: { id: 'PX' } } } });
    expect(parsed.pdIncidentId).toBe('PX');
    expect(isPing(parsed)).toBe(false);
  });

  it('occurred_at is normalised to ISO-8601 with milliseconds', () => {
    expect(parseWebhookEnvelope({ event: { id: 'E', event_type: 'incident.resolved', occurred_at: '2026-01-01T00:00:00Z', data: { type: 'incident', id: 'P1' } } }).occurredAt).toBe('2026-01-01T00:00:00.000Z');
  });

  it.each([
    ['not an object', 'x', 'event'],
    ['no event', { messages: [] }, 'event'],
    ['a v2 batch', { messages: [{ event: 'incident.trigger' }] }, 'event'],
    ['no id', { event: { event_type: 'incident.triggered', occurred_at: '2026-01-01T00:00:00Z', data: {} } }, 'event.id'],
    ['a bad event_type', { event: { id: 'E', event_type: 'trigger', occurred_at: '2026-01-01T00:00:00Z', data: {} } }, 'event.event_type'],
    ['a bad occurred_at', { event: { id: 'E', event_type: 'incident.triggered', occurred_at: 'yesterday', data: {} } }, 'event.occurred_at'],
    ['no data', { event: { id: 'E', event_type: 'incident.triggered', occurred_at: '2026-01-01T00:00:00Z' } }, 'event.data'],
    ['an id longer than its column', { event: { id: 'E'.repeat(201), event_type: 'incident.triggered', occurred_at: '2026-01-01T00:00:00Z', data: {} } }, 'event.id'],
    ['an event_type longer than its column', { event: { id: 'E', event_type: `incident.${'t'.repeat(200)}`, occurred_at: '2026-01-01T00:00:00Z', data: {} } }, 'event.event_type'],
  ])('rejects %s with a 400', (_name, body, expected) => {
    expect(field(() => parseWebhookEnvelope(body))).toBe(expected);
  });

  it('pdIncidentIdOf tolerates odd shapes', () => {
    expect(pdIncidentIdOf(null)).toBeNull();
    expect(pdIncidentIdOf({ type: 'incident' })).toBeNull();
    expect(pdIncidentIdOf({ type: 'incident_note', incident: 'P1' })).toBeNull();
    expect(pdIncidentIdOf({ type: 'incident', id: 'P'.repeat(201) })).toBeNull();
  });
});

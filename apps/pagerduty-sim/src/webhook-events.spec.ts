import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyWebhookSignature } from '@incident-sync/pagerduty';
import { signDelivery } from './webhook-dispatcher';
import { newEvent, pingEvent, webhookBody } from './webhook-events';

const official = join(__dirname, '..', '..', '..', 'libs', 'pagerduty', 'fixtures', 'webhooks', 'official');

describe('webhook bodies and signatures', () => {
  it('the simulator\'s signature over the go-pagerduty test vector body is PagerDuty\'s signature', () => {
    const vector = JSON.parse(readFileSync(join(official, 'signature-test-vector.json'), 'utf8')) as { secret: string; x_pagerduty_signature_valid: string };
    const body = readFileSync(join(official, 'signature-test-vector.body.json'));
    expect(signDelivery([vector.secret], body)).toBe(vector.x_pagerduty_signature_valid);
    // During rotation: one v1= per secret, each verifiable on its own.
    const header = signDelivery(['old-secret', vector.secret], body);
    expect(header.split(',')).toEqual([signDelivery(['old-secret'], body), vector.x_pagerduty_signature_valid]);
    expect(verifyWebhookSignature(body, header, [vector.secret])).toBe(true);
  });

  it('is compact JSON with PagerDuty\'s key order, whatever order the event was built in', () => {
    const event = newEvent('incident.triggered', { summary: 'Alice', html_url: 'h', self: 's', type: 'user_reference', id: 'P1' }, { id: 'Q1', type: 'incident' }, { incidentId: 'Q1', serviceId: 'S', teamIds: [] }, Date.parse('2026-11-26T12:00:00.123Z'));
    const body = webhookBody(event);
    expect(body).not.toMatch(/\s/);
    const parsed = JSON.parse(body);
    expect(Object.keys(parsed)).toEqual(['event']);
    expect(Object.keys(parsed.event)).toEqual(['id', 'event_type', 'resource_type', 'occurred_at', 'agent', 'client', 'data']);
    expect(Object.keys(parsed.event.agent)).toEqual(['id', 'type', 'self', 'html_url', 'summary']);
    expect(parsed.event.occurred_at).toBe('2026-11-26T12:00:00.123Z');
    expect(parsed.event.client).toBeNull();
  });

  it('a ping has the size of a real one (content-length 228 with a 26-character id, FACTS §1.1)', () => {
    const ping = webhookBody({ ...pingEvent(Date.parse('2021-12-08T22:58:53.510Z')) });
    expect(Buffer.byteLength(ping)).toBe(228);
  });
});

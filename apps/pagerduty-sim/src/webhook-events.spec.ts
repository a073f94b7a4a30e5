import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyWebhookSignature } from '@incident-sync/pagerduty';
import { signDelivery } from './webhook-dispatcher';
import { newEvent, pingEvent, TRIM_ABOVE_BYTES, webhookBody } from './webhook-events';

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

  it('a note whose delivery would exceed 55 KB is cut to fit and marked trimmed: true (FACTS §1.5); a short one is sent whole', () => {
    const agent = { summary: 'Alice', html_url: 'h', self: 's', type: 'user_reference', id: 'P1' };
    const route = { incidentId: 'Q1', serviceId: 'S', teamIds: [] };
    const note = (content: string) => newEvent('incident.annotated', agent, { incident: { id: 'Q1', type: 'incident_reference' }, id: 'PN1', content, trimmed: false, type: 'incident_note' }, route, Date.now());
    const short = JSON.parse(webhookBody(note('short note')));
    expect(short.event.data).toMatchObject({ content: 'short note', trimmed: false });
    for (const long of ['x'.repeat(70000), 'é"\\'.repeat(20000), '🔥'.repeat(20000)]) {
      const body = webhookBody(note(long));
      expect(Buffer.byteLength(body)).toBeLessThanOrEqual(TRIM_ABOVE_BYTES);
      const data = JSON.parse(body).event.data;
      expect(data.trimmed).toBe(true);
      expect(long.startsWith(data.content)).toBe(true);
      expect(data.content.length).toBeGreaterThan(long.length / 10);
    }
  });
});

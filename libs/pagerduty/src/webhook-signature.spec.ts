import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSignatureHeader, signatureHeader, signWebhookBody, verifyWebhookSignature } from './webhook-signature';

const fixtures = join(__dirname, '..', 'fixtures', 'webhooks', 'official');
const vector = JSON.parse(readFileSync(join(fixtures, 'signature-test-vector.json'), 'utf8')) as {
  secret: string; x_pagerduty_signature_valid: string; x_pagerduty_signature_mismatch: string;
};
const body = readFileSync(join(fixtures, 'signature-test-vector.body.json'));

describe('PagerDuty v3 webhook signatures', () => {
  it('given the go-pagerduty test vector, when we sign its body, then we produce PagerDuty\'s signature', () => {
    expect(body.length).toBe(1655);
    expect(signWebhookBody(vector.secret, body)).toBe(vector.x_pagerduty_signature_valid);
  });

  it('accepts the valid signature and rejects the vector\'s mismatching one', () => {
    expect(verifyWebhookSignature(body, vector.x_pagerduty_signature_valid, [vector.secret])).toBe(true);
    expect(verifyWebhookSignature(body, vector.x_pagerduty_signature_mismatch, [vector.secret])).toBe(false);
  });

  it('accepts a header with several v1= entries when any one matches (secret rotation)', () => {
    const header = `${vector.x_pagerduty_signature_mismatch},${vector.x_pagerduty_signature_valid}`;
    expect(verifyWebhookSignature(body, header, [vector.secret])).toBe(true);
    expect(verifyWebhookSignature(body, signatureHeader(['old-secret', 'new-secret'], body), ['new-secret'])).toBe(true);
  });

  it('rejects a tampered body, a missing header and entries that are not v1=', () => {
    const tampered = Buffer.from(body.toString('utf8').replace('"incident"', '"incidenT"'));
    expect(verifyWebhookSignature(tampered, vector.x_pagerduty_signature_valid, [vector.secret])).toBe(false);
    expect(verifyWebhookSignature(body, undefined, [vector.secret])).toBe(false);
    expect(verifyWebhookSignature(body, vector.x_pagerduty_signature_valid.replace('v1=', 'v2='), [vector.secret])).toBe(false);
    expect(parseSignatureHeader('v0=abc, v1=zz')).toEqual([]);
  });
});

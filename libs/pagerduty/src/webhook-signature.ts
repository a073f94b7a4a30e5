import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * PagerDuty Webhooks v3 signatures (developer-docs webhooks/04-Signatures; go-pagerduty
 * webhookv3): HMAC-SHA256 over the exact raw body bytes, keyed with the subscription
 * secret's UTF-8 bytes as-is (not base64-decoded), lowercase hex, sent as `v1=<hex>`.
 * The header may carry several comma-separated `v1=` entries during secret rotation.
 */
export function signWebhookBody(secret: string, rawBody: Buffer | string): string {
  return `v1=${createHmac('sha256', Buffer.from(secret, 'utf8')).update(rawBody).digest('hex')}`;
}

/** Header value carrying one signature per active secret (rotation). */
export function signatureHeader(secrets: readonly string[], rawBody: Buffer | string): string {
  return secrets.map((s) => signWebhookBody(s, rawBody)).join(',');
}

export function parseSignatureHeader(header: string | undefined | null): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('v1='))
    .map((part) => part.slice(3))
    .filter((hex) => /^[0-9a-f]{64}$/i.test(hex));
}

/**
 * True when any `v1=` entry matches any of the secrets. Every comparison is constant-time
 * and all candidates are compared, so timing does not reveal which one matched.
 */
export function verifyWebhookSignature(rawBody: Buffer, header: string | undefined | null, secrets: readonly string[]): boolean {
  const candidates = parseSignatureHeader(header).map((hex) => Buffer.from(hex.toLowerCase(), 'hex'));
  let matched = false;
  for (const secret of secrets) {
    const expected = createHmac('sha256', Buffer.from(secret, 'utf8')).update(rawBody).digest();
    for (const candidate of candidates) {
      if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) matched = true;
    }
  }
  return matched;
}

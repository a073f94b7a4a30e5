import { randomBytes, randomUUID } from 'node:crypto';

const PD_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
// Crockford base32, the ULID alphabet (no I, L, O, U).
const ULID_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A PagerDuty-style object id: `P` + 6 upper-case alphanumerics (e.g. `PT4KHLK`). Incidents use 14 (`Q02JTSNZWHSEKV`). */
export function newPdId(length = 7, prefix = 'P'): string {
  const bytes = randomBytes(length);
  let id = prefix;
  for (let i = 0; id.length < length; i++) id += PD_ALPHABET[(bytes[i] ?? 0) % PD_ALPHABET.length];
  return id;
}

/**
 * A 26-character ULID (48-bit ms timestamp + 80 random bits, Crockford base32), the shape of
 * real v3 `event.id`s (FACTS §1.1, e.g. `01BZYIL05THJDFF2Y08X9SVMTU`). Monotonic within one ms.
 */
let lastMs = -1;
let lastRandom: number[] = [];
export function newUlid(nowMs: number = Date.now()): string {
  let time = '';
  let t = Math.max(0, Math.floor(nowMs));
  for (let i = 0; i < 10; i++) {
    time = (ULID_ALPHABET[t % 32] as string) + time;
    t = Math.floor(t / 32);
  }
  if (nowMs === lastMs) {
    // Increment the random part so ids generated in the same millisecond still sort in order.
    for (let i = lastRandom.length - 1; i >= 0; i--) {
      const next = (lastRandom[i] ?? 0) + 1;
      if (next < 32) { lastRandom[i] = next; break; }
      lastRandom[i] = 0;
    }
  } else {
    const bytes = randomBytes(16);
    lastRandom = Array.from({ length: 16 }, (_, i) => (bytes[i] ?? 0) % 32);
    lastMs = nowMs;
  }
  return time + lastRandom.map((v) => ULID_ALPHABET[v]).join('');
}

export function newWebhookId(): string {
  return randomUUID();
}

/** Signing secrets look like real ones: 64 characters of base64 (FACTS §1.4 test vector). */
export function newWebhookSecret(): string {
  return randomBytes(48).toString('base64');
}

/**
 * The incident_key PagerDuty gives an incident created without one: 32 lower-case hex digits,
 * as in every captured webhook (e.g. `d3640fbd41094207a1c11e58e46b1662`, DD priority_updated
 * example; ZULIP fixtures). Never equal to a key a client sent, unless the client sent exactly it.
 */
export function newIncidentKey(): string {
  return randomUUID().replace(/-/g, '');
}

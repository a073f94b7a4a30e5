import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM for secrets at rest (ARCHITECTURE §4). Stored as `v1.<iv>.<tag>.<ciphertext>`
 * (base64url). `context` is bound as additional authenticated data — e.g. the integration id
 * and the secret's purpose — so a ciphertext copied into another row or column fails to
 * decrypt instead of silently becoming that row's secret. A fresh random 96-bit IV per
 * encryption (NIST SP 800-38D's recommended IV length for GCM).
 */
export class SecretCipher {
  private readonly key: Buffer;

  constructor(base64Key: string) {
    this.key = Buffer.from(base64Key.trim(), 'base64');
    if (this.key.length !== 32) throw new Error('ENCRYPTION_KEY must decode to exactly 32 bytes');
  }

  encrypt(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
  }

  /** Throws (without any secret in the message) when the value was tampered with, or the key or context differ. */
  decrypt(stored: string, context: string): string {
    const [version, iv, tag, ciphertext, ...rest] = stored.split('.');
    if (version !== VERSION || iv === undefined || tag === undefined || ciphertext === undefined || rest.length > 0) {
      throw new Error('stored secret has an unknown format');
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new Error('stored secret failed authentication (wrong ENCRYPTION_KEY, or the value was altered)');
    }
  }
}

/** The last four characters, the only part of a secret the API ever shows. */
export function last4(secret: string): string {
  return secret.length <= 4 ? secret.replace(/./g, '*') : secret.slice(-4);
}

import { randomBytes } from 'node:crypto';
import { last4, SecretCipher } from './secret-cipher';

describe('SecretCipher (AES-256-GCM)', () => {
  const key = randomBytes(32).toString('base64');
  const cipher = new SecretCipher(key);

  it('round-trips a secret, with a fresh IV every time', () => {
    const a = cipher.encrypt('u+abc-token-1234', 'integration:1:token');
    const b = cipher.encrypt('u+abc-token-1234', 'integration:1:token');
    expect(a).not.toEqual(b);
    expect(a).not.toContain('u+abc-token-1234');
    expect(cipher.decrypt(a, 'integration:1:token')).toBe('u+abc-token-1234');
    expect(cipher.decrypt(b, 'integration:1:token')).toBe('u+abc-token-1234');
  });

  it('detects a tampered ciphertext, tag or IV', () => {
    const stored = cipher.encrypt('secret', 'ctx');
    const [v, iv, tag, ct] = stored.split('.') as [string, string, string, string];
    const flip = (s: string): string => {
      const bytes = Buffer.from(s, 'base64url');
      bytes[0] = (bytes[0] ?? 0) ^ 0x01;
      return bytes.toString('base64url');
    };
    expect(() => cipher.decrypt([v, iv, tag, flip(ct)].join('.'), 'ctx')).toThrow(/failed authentication/);
    expect(() => cipher.decrypt([v, iv, flip(tag), ct].join('.'), 'ctx')).toThrow(/failed authentication/);
    expect(() => cipher.decrypt([v, flip(iv), tag, ct].join('.'), 'ctx')).toThrow(/failed authentication/);
  });

  it('binds the ciphertext to its context: copied to another row it does not decrypt', () => {
    const stored = cipher.encrypt('secret', 'integration:a:token');
    expect(() => cipher.decrypt(stored, 'integration:b:token')).toThrow(/failed authentication/);
  });

  it('fails under another key, and never puts the secret in the error', () => {
    const stored = cipher.encrypt('my-secret-value', 'ctx');
    const other = new SecretCipher(randomBytes(32).toString('base64'));
    expect(() => other.decrypt(stored, 'ctx')).toThrow(/failed authentication/);
    try {
      other.decrypt(stored, 'ctx');
    } catch (error) {
      expect(String(error)).not.toContain('my-secret-value');
    }
  });

  it('rejects unknown formats and keys that are not 32 bytes', () => {
    expect(() => cipher.decrypt('plaintext', 'ctx')).toThrow(/unknown format/);
    expect(() => new SecretCipher(randomBytes(16).toString('base64'))).toThrow(/32 bytes/);
  });

  it('shows only the last four characters', () => {
    expect(last4('u+abcdefgh1234')).toBe('1234');
    expect(last4('abc')).toBe('***');
  });
});

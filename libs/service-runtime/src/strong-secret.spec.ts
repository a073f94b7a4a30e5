import { randomBytes } from 'node:crypto';
import { BaseEnv } from './base-env';
import { loadConfig } from './load-config';
import { IsStrongSecret, secretProblem } from './strong-secret';

class KeyEnv {
  @IsStrongSecret({ base64Bytes: 32 }) ENCRYPTION_KEY!: string;
}

const goodToken = (): string => randomBytes(32).toString('hex');
const goodKey = (): string => randomBytes(32).toString('base64');

/** The configuration error for this value, asserting it names the variable and never echoes the value. */
function refusal(value: string): string {
  try {
    loadConfig(BaseEnv, { PORT: '1', INTERNAL_TOKEN: value });
  } catch (error) {
    const message = (error as Error).message;
    expect(message).toContain('INTERNAL_TOKEN');
    expect(message).not.toContain(value);
    return message;
  }
  throw new Error('the value was accepted');
}

describe('IsStrongSecret', () => {
  it('accepts what the README generator prints (hex, base64, base64url), every time', () => {
    for (let i = 0; i < 200; i += 1) {
      const bytes = randomBytes(32);
      for (const value of [bytes.toString('hex'), bytes.toString('base64'), bytes.toString('base64url'), `isk_admin_${bytes.toString('hex')}`]) {
        expect(secretProblem(value)).toBeNull();
      }
      expect(secretProblem(bytes.toString('base64'), { base64Bytes: 32 })).toBeNull();
    }
    expect(loadConfig(BaseEnv, { PORT: '1', INTERNAL_TOKEN: goodToken(), GATEWAY_TOKEN: goodToken() }).INTERNAL_TOKEN).toHaveLength(64);
  });

  it.each([
    // every default and template that docker-compose.yml and deploy/k8s ever shipped
    ['local-internal-token-change-me', /published in this repository/],
    ['local-admin-key-change-me', /published in this repository/],
    ['replace-with-32-random-bytes-hex', /published in this repository/],
    ['replace-with-a-long-random-key', /published in this repository/],
    ['replace-with-base64-of-32-random-bytes', /published in this repository/],
    ['test-internal-token-0123456789', /published in this repository/],
    // placeholders, whatever their length
    ['changeme-changeme-changeme-changeme-1234', /placeholder/],
    ['Change-Me-Please-0123456789abcdefghijkl', /placeholder/],
    ['my-super-secret-internal-token-0123456789', /placeholder/],
    ['https://example.com/0123456789abcdefghijklmn', /placeholder/],
    ['PLACEHOLDER_0123456789abcdefghijklmnopqrstu', /placeholder/],
    ['<generate-32-random-bytes-0123456789abcdef>', /placeholder/],
    ['${INTERNAL_TOKEN_0123456789abcdefghijklmnop}', /placeholder/],
    ['password0123456789abcdefghijklmnopqrstuvwx', /placeholder/],
    // too short (29 and 31 bytes: the old test-profile values' lengths)
    ['4f9c2a7e1b3d5f60718293a4b5c6d', /at least 32 bytes/],
    ['4f9c2a7e1b3d5f60718293a4b5c6d7e', /at least 32 bytes/],
    // long but not random
    ['x'.repeat(64), /distinct/],
    ['abababababababababababababababababab', /distinct/],
    [' 4f9c2a7e1b3d5f60718293a4b5c6d7e8f90a1b2c', /whitespace/],
  ])('refuses INTERNAL_TOKEN=%j naming the variable, without echoing it', (value, reason) => {
    expect(refusal(value)).toMatch(reason);
  });

  it('says how to generate a secret', () => {
    expect(refusal('short')).toMatch(/randomBytes\(32\)/);
  });

  it('requires the variable', () => {
    expect(() => loadConfig(BaseEnv, { PORT: '1' })).toThrow(/INTERNAL_TOKEN is required/);
  });

  describe('with base64Bytes (ENCRYPTION_KEY)', () => {
    const keyRefusal = (value: string): string => {
      try {
        loadConfig(KeyEnv, { ENCRYPTION_KEY: value });
      } catch (error) {
        const message = (error as Error).message;
        expect(message).toContain('ENCRYPTION_KEY');
        expect(message).not.toContain(value);
        return message;
      }
      throw new Error('the key was accepted');
    };

    it('accepts the base64 of exactly 32 random bytes', () => {
      const key = goodKey();
      expect(loadConfig(KeyEnv, { ENCRYPTION_KEY: key }).ENCRYPTION_KEY).toBe(key);
    });

    it.each([
      ['the old compose default', 'bG9jYWwtb25seS1lbmNyeXB0aW9uLWtleS0zMmJ5dGU=', /published in this repository/],
      ['the old test key', Buffer.from('test-encryption-key-32-bytes!!!!').toString('base64'), /published in this repository/],
      ['any 32 bytes of typed text', Buffer.from('my own thirty-two byte key, ok?!').toString('base64'), /readable text/],
      ['one repeated byte', Buffer.alloc(32, 7).toString('base64'), /distinct bytes/],
      ['31 bytes', randomBytes(31).toString('base64'), /exactly 32 random bytes \(it decodes to 31\)/],
      ['33 bytes', randomBytes(33).toString('base64'), /decodes to 33/],
      ['hex instead of base64', randomBytes(32).toString('hex'), /decodes to 48/],
      ['not base64', `${randomBytes(30).toString('base64')}!?`, /base64 of exactly 32/],
      ['a placeholder', 'replace-with-base64-of-32-random-bytes', /published|placeholder/],
    ])('refuses %s', (_name, value, reason) => {
      expect(keyRefusal(value)).toMatch(reason);
    });
  });
});

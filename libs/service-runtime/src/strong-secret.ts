import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';

/** Fewer bytes than this is guessable; 32 random bytes is what the README's generator makes. */
export const MIN_SECRET_BYTES = 32;

/**
 * Values that shipped in this repository as defaults or templates (docker-compose.yml,
 * deploy/k8s, the test profile before secrets were lengthened): anyone can read them, so they
 * are refused even where they would pass the other rules.
 */
const SHIPPED_VALUES: readonly string[] = [
  'local-internal-token-change-me',
  'local-admin-key-change-me',
  'bG9jYWwtb25seS1lbmNyeXB0aW9uLWtleS0zMmJ5dGU=',
  'replace-with-32-random-bytes-hex',
  'replace-with-a-long-random-key',
  'replace-with-base64-of-32-random-bytes',
  'test-internal-token-0123456789',
  'test-admin-key-0123456789abcdef',
  'dGVzdC1lbmNyeXB0aW9uLWtleS0zMi1ieXRlcyEhISE=',
  'it-internal-token-0123456789',
  'it-admin-key-0123456789abcdef',
  'test-gateway-token-0123456789abcdef0123',
  'replace-with-other-32-random-bytes-hex',
];

/**
 * Words people type when they mean "fill this in later". Generated secrets contain none of
 * them except with negligible probability (hex cannot; a 44-character base64 value contains a
 * given five-letter word, in any case, with probability about 40·32⁻⁵ ≈ 1e-6).
 */
const PLACEHOLDER_WORDS: readonly string[] = [
  'changeme', 'change-me', 'change_me', 'placeholder', 'replace', 'example', 'secret', 'password',
  'default', 'your-', 'your_', 'insert', 'fixme', 'dummy', 'sample', '<', '>', '${',
];

/** A random value of 32+ bytes has far more distinct characters than this. */
const MIN_DISTINCT = 10;

export interface StrongSecretOptions {
  /** The value is the base64 of exactly this many bytes (a raw key, e.g. AES-256's 32). */
  base64Bytes?: number;
}

/**
 * Why `value` is not acceptable as a secret, or null when it is. The reasons never contain
 * the value: they end up in startup errors and logs.
 */
export function secretProblem(value: unknown, options: StrongSecretOptions = {}): string | null {
  if (typeof value !== 'string' || value.length === 0) return 'is required';
  if (value !== value.trim()) return 'must not start or end with whitespace';
  if (SHIPPED_VALUES.includes(value)) return 'is a value published in this repository; generate your own';
  const lower = value.toLowerCase();
  if (PLACEHOLDER_WORDS.some((w) => lower.includes(w))) return 'looks like a placeholder, not a randomly generated value';
  if (options.base64Bytes !== undefined) {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value) || value.length % 4 !== 0) return `must be the base64 of exactly ${options.base64Bytes} random bytes`;
    const bytes = Buffer.from(value, 'base64');
    if (bytes.length !== options.base64Bytes) return `must be the base64 of exactly ${options.base64Bytes} random bytes (it decodes to ${bytes.length})`;
    if (new Set(bytes).size < MIN_DISTINCT) return 'decodes to too few distinct bytes to be random';
    // Random bytes are all printable ASCII with probability (95/256)^32 ≈ 1e-14: this is typed text.
    if (bytes.every((b) => b >= 0x20 && b < 0x7f)) return 'decodes to readable text, not random bytes';
    return null;
  }
  if (Buffer.byteLength(value, 'utf8') < MIN_SECRET_BYTES) return `must be at least ${MIN_SECRET_BYTES} bytes long`;
  if (new Set(value).size < MIN_DISTINCT) return 'has too few distinct characters to be random';
  return null;
}

const GENERATOR = "generate one with: node -e \"console.log(require('crypto').randomBytes(32).toString('base64'))\"";

/**
 * A secret an operator must generate: refuses values shipped in this repository, placeholders
 * ("changeme", "replace-with-…", anything with "secret" or "example"…), fewer than 32 bytes
 * and visibly non-random values, naming the variable and never echoing the value.
 */
export function IsStrongSecret(options: StrongSecretOptions = {}, validationOptions?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isStrongSecret',
      target: target.constructor,
      propertyName: String(propertyName),
      options: validationOptions,
      validator: {
        validate: (value: unknown) => secretProblem(value, options) === null,
        defaultMessage: (args?: ValidationArguments) => `${args?.property ?? 'the secret'} ${secretProblem(args?.value, options) ?? 'is invalid'}; ${GENERATOR}`,
      },
    });
  };
}

import { ValidateBy, ValidationOptions, buildMessage } from 'class-validator';

/** Bytes of a value once JSON-encoded as UTF-8 (a string without its quotes): what Kafka carries. */
export function jsonBytes(value: unknown): number {
  if (value === undefined) return 0;
  const json = JSON.stringify(value) ?? '';
  const bytes = Buffer.byteLength(json, 'utf8');
  return typeof value === 'string' ? bytes - 2 : bytes;
}

/**
 * Caps a field in bytes of its JSON encoding, the form it travels in through the outbox and
 * Kafka. Characters alone are not enough: a control character is 6 bytes once escaped
 * (`\u0001`), a CJK character 3, so a 65,536-character text can be 393 KB on the wire.
 */
export function MaxJsonBytes(max: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'maxJsonBytes',
      constraints: [max],
      validator: {
        validate: (value: unknown): boolean => value === null || value === undefined || jsonBytes(value) <= max,
        defaultMessage: buildMessage((each) => `${each}$property must be at most $constraint1 bytes once JSON-encoded (control characters count 6, other non-ASCII characters 2 to 4)`, options),
      },
    },
    options,
  );
}

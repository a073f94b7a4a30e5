/** class-validator options for an enum field whose 400 names the field and lists the allowed values. */
export const oneOf = (values: readonly string[]): { message: string } => ({ message: `$property must be one of ${values.join(', ')}` });

/**
 * Byte caps of incident fields, counted on their JSON encoding (what the outbox and Kafka
 * carry). One PATCH becomes one platform.incident.changed event holding the old and new
 * value of each changed field plus a snapshot, i.e. about three copies of each: at these
 * caps an event stays near 250 KB, far below Kafka's 1 MiB message limit. README "Size limits".
 */
export const FIELD_BYTES = {
  title: 4096,
  description: 65536,
  note: 65536,
  email: 1024,
  name: 1024,
  longName: 2048,
} as const;

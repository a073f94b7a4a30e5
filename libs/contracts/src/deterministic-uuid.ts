import { createHash } from 'node:crypto';

/**
 * A name-based UUID (version 5 layout over SHA-256): the same name always gives the same id.
 * Message ids derived this way survive redelivery and crash-replays, so the consumers'
 * inboxes (and dlq-manager) recognise the repeat.
 */
export function deterministicUuid(name: string): string {
  const h = createHash('sha256').update(name).digest();
  h.writeUInt8((h.readUInt8(6) & 0x0f) | 0x50, 6);
  h.writeUInt8((h.readUInt8(8) & 0x3f) | 0x80, 8);
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

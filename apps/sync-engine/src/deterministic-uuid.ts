import { createHash } from 'node:crypto';

/**
 * A name-based UUID (version 5 layout over SHA-256). Domain command ids are `<linkId>/<seq>`;
 * the contracts want UUIDs, and a redelivered decision must produce the same ids so the
 * consumers' inboxes drop the repeat.
 */
export function deterministicUuid(name: string): string {
  const h = createHash('sha256').update(name).digest();
  h.writeUInt8((h.readUInt8(6) & 0x0f) | 0x50, 6);
  h.writeUInt8((h.readUInt8(8) & 0x3f) | 0x80, 8);
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Id of the platform command carrying the domain write `domainCommandId`. */
export const platformCommandUuid = (domainCommandId: string): string => deterministicUuid(`platform:${domainCommandId}`);
/** Id of the PagerDuty command carrying the domain write `domainCommandId` (`part` for follow-ups). */
export const pagerDutyCommandUuid = (domainCommandId: string, part = 'main'): string => deterministicUuid(`pagerduty:${domainCommandId}:${part}`);
/** Public (URL-safe) id of the domain conflict `<linkId>/conflict/<seq>`. */
export const conflictUuid = (domainConflictId: string): string => deterministicUuid(`conflict:${domainConflictId}`);

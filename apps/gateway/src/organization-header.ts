/**
 * X-Organization-Id, sent with the admin key to act for one organization. HTTP header values
 * are bytes; Node hands them over as Latin-1 text, so the value is read back as the UTF-8 the
 * client sent (curl, or fetch with the UTF-8 bytes as a Latin-1 string). Organization ids are
 * what integration-config accepts (non-empty strings of at most 200 characters); control
 * characters and invalid UTF-8 are refused too, since no stored id can contain them usefully.
 */
export const MAX_ORGANIZATION_ID_LENGTH = 200;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

export type OrganizationHeader = { ok: true; value: string | null } | { ok: false; reason: string };

export function validateOrganizationHeader(raw: string | string[] | undefined): OrganizationHeader {
  if (raw === undefined) return { ok: true, value: null };
  if (Array.isArray(raw)) return { ok: false, reason: 'must be sent once' };
  if (raw.length === 0) return { ok: true, value: null };
  let value: string;
  try {
    value = utf8.decode(Buffer.from(raw, 'latin1'));
  } catch {
    return { ok: false, reason: 'must be UTF-8 text' };
  }
  if (CONTROL.test(value)) return { ok: false, reason: 'must not contain control characters' };
  if ([...value].length > MAX_ORGANIZATION_ID_LENGTH) return { ok: false, reason: `must be at most ${MAX_ORGANIZATION_ID_LENGTH} characters` };
  if (value.trim().length === 0) return { ok: false, reason: 'must not be blank' };
  return { ok: true, value };
}

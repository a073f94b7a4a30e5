/** Longest preview a list shows; the full payload is on GET /dlq/:id. */
export const PREVIEW_LENGTH = 120;

function parseJson(payload: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(payload) as unknown };
  } catch {
    return { ok: false };
  }
}

/** Control characters (C0 and DEL) become spaces, so a preview is always one printable line. */
function withoutControlCharacters(text: string): string {
  let result = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    result += code < 0x20 || code === 0x7f ? ' ' : ch;
  }
  return result;
}

/**
 * One short line for lists: JSON compacted, anything else with control characters and runs
 * of whitespace collapsed; cut at `max` characters with an ellipsis.
 */
export function payloadPreview(payload: string, max = PREVIEW_LENGTH): string {
  const json = parseJson(payload);
  const line = json.ok ? JSON.stringify(json.value) : withoutControlCharacters(payload).replace(/\s+/g, ' ').trim();
  const chars = Array.from(line);
  return chars.length <= max ? line : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** The full payload for people: JSON indented by two spaces, anything else as stored. */
export function prettyPayload(payload: string): string {
  const json = parseJson(payload);
  return json.ok ? JSON.stringify(json.value, null, 2) : payload;
}

/** The payload as a JSON value for scripts, or null when it is not JSON. */
export function payloadJson(payload: string): unknown {
  const json = parseJson(payload);
  return json.ok ? json.value : null;
}

/**
 * The human-readable form of one JSON log line (LOG_FORMAT=pretty, the dev profile):
 *   13:05:09.120 WARN  [gateway] Proxy: upstream unreachable method=GET path="/api/v1/x"
 * Field values are JSON-quoted when they hold spaces, quotes or control characters, and a
 * message's own line breaks continue on indented lines, so no value can fake a log line.
 */

const LEVEL_LABEL: Record<string, string> = { trace: 'TRACE', debug: 'DEBUG', info: 'INFO ', warn: 'WARN ', error: 'ERROR', fatal: 'FATAL' };
const OWN_KEYS = new Set(['level', 'time', 'msg', 'service', 'context', 'pid', 'hostname']);

function scalar(value: unknown): string {
  if (typeof value === 'string') return /^[\w.:/@+-]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}

function escapeLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function prettyLogLine(jsonLine: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(jsonLine) as Record<string, unknown>;
  } catch {
    return jsonLine.endsWith('\n') ? jsonLine : `${jsonLine}\n`;
  }
  const time = typeof record.time === 'string' ? record.time.slice(11, 23) : '';
  const level = LEVEL_LABEL[String(record.level)] ?? String(record.level).toUpperCase();
  const service = typeof record.service === 'string' ? ` [${record.service}]` : '';
  const context = typeof record.context === 'string' ? ` ${record.context}:` : '';
  const message = escapeLine(typeof record.msg === 'string' ? record.msg : '').split('\n').join('\n    | ');
  let stack = '';
  const fields: string[] = [];
  for (const [key, value] of Object.entries(record)) {
    if (OWN_KEYS.has(key) || value === undefined) continue;
    if (key === 'err' && value && typeof value === 'object') {
      const { stack: s, ...rest } = value as Record<string, unknown>;
      fields.push(`err=${scalar(rest)}`);
      // Stacks of errors and fatals only: a retried warning's stack is noise on a terminal.
      if (typeof s === 'string' && (record.level === 'error' || record.level === 'fatal')) stack = `\n    | ${escapeLine(s).split('\n').join('\n    | ')}`;
      continue;
    }
    fields.push(`${key}=${scalar(value)}`);
  }
  return `${time} ${level}${service}${context} ${message}${fields.length ? ` ${fields.join(' ')}` : ''}${stack}\n`;
}

export type OutputFormat = 'table' | 'json';

export interface Column<T> {
  header: string;
  value: (row: T) => unknown;
}

export interface Writer {
  write(text: string): void;
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * What a command prints. People get aligned tables and `key: value` details; scripts get
 * exactly the API's JSON with `--format json` (no decoration, one document per call).
 */
export class Output {
  constructor(readonly format: OutputFormat, private readonly stdout: Writer) {}

  /** A list: a table of `columns`, or the JSON `data` as given. */
  list<T>(rows: readonly T[], columns: readonly Column<T>[], json: unknown = { data: rows }): void {
    if (this.format === 'json') return this.json(json);
    if (rows.length === 0) return this.line('(none)');
    const matrix = [columns.map((c) => c.header), ...rows.map((r) => columns.map((c) => cell(c.value(r))))];
    const widths = columns.map((_, i) => Math.max(...matrix.map((line) => (line[i] ?? '').length)));
    for (const line of matrix) this.line(line.map((v, i) => (i === line.length - 1 ? v : v.padEnd(widths[i] ?? 0))).join('  ').trimEnd());
  }

  /** One resource: `key: value` lines (nested objects as JSON), or the JSON as given. */
  detail(fields: Record<string, unknown>, json: unknown = fields): void {
    if (this.format === 'json') return this.json(json);
    const width = Math.max(0, ...Object.keys(fields).map((k) => k.length));
    for (const [key, value] of Object.entries(fields)) this.line(`${`${key}:`.padEnd(width + 1)} ${cell(value)}`);
  }

  /** A confirmation for people (`deleted integration prod-pd`); in JSON mode `json` is printed instead. */
  message(text: string, json: unknown = { ok: true, message: text }): void {
    if (this.format === 'json') return this.json(json);
    this.line(text);
  }

  json(value: unknown): void {
    this.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  line(text: string): void {
    this.stdout.write(`${text}\n`);
  }
}

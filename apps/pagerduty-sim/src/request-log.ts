/** REST requests received, for end-to-end tests to assert what the product sent (GET /sim/requests). */
export interface LoggedRequest {
  seq: number;
  time: string;
  method: string;
  path: string;
  query: Record<string, unknown>;
  /** Lower-case names; Authorization is replaced by "REDACTED" (secrets are never exposed). */
  headers: Record<string, string | string[]>;
  body: unknown;
  status: number;
}

export class RequestLog {
  private entries: LoggedRequest[] = [];
  private seq = 0;

  constructor(private readonly max = 5000) {}

  add(entry: Omit<LoggedRequest, 'seq'>): LoggedRequest {
    const logged = { ...entry, seq: ++this.seq };
    this.entries.push(logged);
    if (this.entries.length > this.max) this.entries.splice(0, this.entries.length - this.max);
    return logged;
  }

  since(seq: number): LoggedRequest[] {
    return this.entries.filter((e) => e.seq > seq);
  }

  lastSeq(): number {
    return this.seq;
  }

  clear(): void {
    this.entries = [];
  }
}

export function redactHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = name.toLowerCase() === 'authorization' ? 'REDACTED' : value;
  }
  return out;
}

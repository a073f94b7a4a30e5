import http from 'node:http';
import net from 'node:net';

/** One answer as the suite saw it: status 0 means the server closed the connection without one. */
export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** The parsed JSON body, or undefined. */
  json: any;
  /** Sent over a raw socket: bytes an HTTP client refuses to send, answered by the server's HTTP parser. */
  raw?: boolean;
}

export interface HttpRequestSpec {
  method: string;
  /** Sent exactly as given: no dot-segment removal, no re-encoding (fetch/undici would normalise it). */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/**
 * Looks for secret markers in every response the suite receives (bodies and headers), in the
 * plain form and in base64 / base64url at every alignment. One ledger per test file.
 */
export class LeakLedger {
  readonly findings: { where: string; marker: string; excerpt: string }[] = [];
  scanned = 0;
  private readonly forms = new Map<string, string[]>();

  watch(name: string, marker: string): void {
    if (marker.length >= 8) this.forms.set(name, markerForms(marker));
  }

  get markerNames(): string[] {
    return [...this.forms.keys()];
  }

  scan(where: string, text: string): void {
    this.scanned += 1;
    for (const [name, forms] of this.forms) {
      for (const form of forms) {
        const at = text.indexOf(form);
        if (at >= 0) {
          this.findings.push({ where, marker: name, excerpt: text.slice(Math.max(0, at - 80), at + 80).replace(/[^\x20-\x7e]/g, '?') });
          break;
        }
      }
    }
  }
}

/** One line per leaked marker: how many answers carried it, and the first of them. */
export function ledgerSummary(ledger: LeakLedger): string[] {
  const byMarker = new Map<string, { count: number; first: string }>();
  for (const f of ledger.findings) {
    const seen = byMarker.get(f.marker);
    if (seen) seen.count += 1;
    else byMarker.set(f.marker, { count: 1, first: `${f.where.slice(0, 140)} … ${f.excerpt}` });
  }
  return [...byMarker].map(([marker, { count, first }]) => `${marker} in ${count} answer(s), first: ${first}`);
}

/** The marker, plus its base64 and base64url encodings at each of the three byte alignments. */
export function markerForms(marker: string): string[] {
  const forms = new Set([marker]);
  for (let k = 0; k < 3; k += 1) {
    const bytes = Buffer.from(marker.slice(k), 'utf8');
    const whole = Math.floor(bytes.length / 3) * 4;
    if (whole < 8) continue;
    forms.add(bytes.toString('base64').slice(0, whole));
    forms.add(bytes.toString('base64url').slice(0, whole));
  }
  return [...forms];
}

const VALID_PATH = /^[\u0021-\u00ff]*$/;
const VALID_HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * HTTP/1.1 for hostile requests: `http.request` with the path as-is over keep-alive
 * connections, or a raw TCP socket when the request line or a header holds bytes Node's
 * client refuses to send (control characters, NUL, characters beyond Latin-1). Every answer
 * is scanned by the ledger.
 */
export class RawHttpClient {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  readonly host: string;
  readonly port: number;

  constructor(baseUrl: string, private readonly ledger?: LeakLedger, private readonly timeoutMs = 60000) {
    const url = new URL(baseUrl);
    this.host = url.hostname;
    this.port = Number(url.port);
  }

  async send(spec: HttpRequestSpec): Promise<HttpAnswer> {
    const headers = spec.headers ?? {};
    const needsRaw = !VALID_PATH.test(spec.path) || Object.entries(headers).some(([k, v]) => !TOKEN.test(k) || !VALID_HEADER_VALUE.test(v));
    const answer = needsRaw ? { ...(await this.sendRaw(spec)), raw: true } : await this.sendHttp(spec);
    this.ledger?.scan(`${spec.method} ${spec.path.slice(0, 200)}`, `${JSON.stringify(answer.headers)}\n${answer.text}`);
    return answer;
  }

  /** JSON convenience: body objects are serialised, the answer's JSON is returned with it. */
  json(method: string, path: string, key?: string, body?: unknown, extra: Record<string, string> = {}): Promise<HttpAnswer> {
    const headers: Record<string, string> = { accept: 'application/json', ...extra };
    if (key) headers.authorization = `Bearer ${key}`;
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body);
      headers['content-type'] ??= 'application/json';
    }
    return this.send({ method, path, headers, body: payload });
  }

  close(): void {
    this.agent.destroy();
  }

  private sendHttp(spec: HttpRequestSpec): Promise<HttpAnswer> {
    return new Promise((resolve, reject) => {
      const body = spec.body === undefined ? undefined : Buffer.isBuffer(spec.body) ? spec.body : Buffer.from(spec.body, 'utf8');
      const headers: Record<string, string> = { ...(spec.headers ?? {}) };
      if (body && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length' || h.toLowerCase() === 'transfer-encoding')) headers['content-length'] = String(body.length);
      const req = http.request({ host: this.host, port: this.port, method: spec.method, path: spec.path, headers, agent: this.agent, timeout: this.timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(toAnswer(res.statusCode ?? 0, flatten(res.headers), Buffer.concat(chunks))));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`no answer in ${this.timeoutMs} ms`)));
      req.on('error', (error: NodeJS.ErrnoException) => {
        // The server may answer (e.g. 413/431) and close before the whole body was written.
        if (error.code === 'ECONNRESET' || error.code === 'EPIPE') resolve(toAnswer(0, {}, Buffer.from(`${error.code}${req.reusedSocket ? ' on a reused keep-alive connection' : ''}`)));
        else reject(error);
      });
      req.end(body);
    });
  }

  private sendRaw(spec: HttpRequestSpec): Promise<HttpAnswer> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(this.port, this.host);
      const chunks: Buffer[] = [];
      const body = spec.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(spec.body) ? spec.body : Buffer.from(spec.body, 'utf8');
      let head = `${spec.method} ${spec.path} HTTP/1.1\r\nHost: ${this.host}:${this.port}\r\nConnection: close\r\n`;
      for (const [k, v] of Object.entries(spec.headers ?? {})) head += `${k}: ${v}\r\n`;
      if (body.length > 0 || spec.body !== undefined) head += `Content-Length: ${body.length}\r\n`;
      head += '\r\n';
      socket.setTimeout(this.timeoutMs, () => socket.destroy(new Error(`no answer in ${this.timeoutMs} ms`)));
      socket.on('connect', () => socket.write(Buffer.concat([Buffer.from(head, 'utf8'), body])));
      socket.on('data', (c: Buffer) => chunks.push(c));
      socket.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'ECONNRESET' || error.code === 'EPIPE') return;
        reject(error);
      });
      socket.on('close', () => {
        try {
          resolve(parseRaw(Buffer.concat(chunks)));
        } catch (error) {
          reject(error as Error);
        }
      });
    });
  }
}

function flatten(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function toAnswer(status: number, headers: Record<string, string>, body: Buffer): HttpAnswer {
  const text = body.toString('utf8');
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status, headers, text, json };
}

/** A whole HTTP/1.1 response read from a closed socket (Content-Length, chunked, or until close). */
export function parseRaw(raw: Buffer): HttpAnswer {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return toAnswer(0, {}, raw);
  const lines = raw.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  let body = raw.subarray(end + 4);
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
    const parts: Buffer[] = [];
    let at = 0;
    for (;;) {
      const lineEnd = body.indexOf('\r\n', at);
      if (lineEnd < 0) break;
      const size = parseInt(body.subarray(at, lineEnd).toString('latin1'), 16);
      if (!Number.isFinite(size) || size === 0) break;
      parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
    body = Buffer.concat(parts);
  } else if (headers['content-length'] !== undefined) {
    body = body.subarray(0, Number(headers['content-length']));
  }
  return toAnswer(status, headers, body);
}

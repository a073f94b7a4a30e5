import { CliError } from './cli-error';

export interface ApiHttpOptions {
  apiUrl: string;
  apiKey?: string;
  /** Sent as X-Organization-Id: with the admin key it picks the organization to act on. */
  organizationId?: string;
  timeoutMs?: number;
}

type Query = Record<string, string | number | boolean | undefined>;

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; field?: unknown };
}

/**
 * The CLI's only HTTP client: JSON to the gateway with the API key, and every failure
 * turned into a CliError whose message is one line, e.g.
 * `VALIDATION_FAILED sync_direction: must be one of none, inbound, outbound, bidirectional`.
 */
export class ApiHttp {
  constructor(private readonly options: ApiHttpOptions) {}

  get<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>('GET', path, undefined, query);
  }
  post<T>(path: string, body?: unknown, query?: Query): Promise<T> {
    return this.request<T>('POST', path, body ?? {}, query);
  }
  put<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('PUT', path, body ?? {});
  }
  patch<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('PATCH', path, body ?? {});
  }
  delete<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>('DELETE', path, undefined, query);
  }

  async request<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
    const url = new URL(`${this.options.apiUrl.replace(/\/+$/, '')}${path}`);
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== '') url.searchParams.set(name, String(value));
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
    // Header values travel as bytes: send the id's UTF-8 (fetch writes each char ≤ U+00FF as one byte), as the gateway reads it.
    if (this.options.organizationId) headers['x-organization-id'] = Buffer.from(this.options.organizationId, 'utf8').toString('latin1');
    if (body !== undefined) headers['content-type'] = 'application/json';

    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 60000),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
      const reason = typeof cause?.code === 'string' ? cause.code
        : typeof cause?.message === 'string' ? cause.message
          : error instanceof Error ? error.message : String(error);
      throw new CliError(`cannot reach the API at ${this.options.apiUrl} (${reason}); set --api-url or IM_API_URL`);
    }
    const text = await response.text();
    let parsed: unknown = null;
    if (text.length > 0) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    if (!response.ok) throw new CliError(describeFailure(response.status, parsed));
    return parsed as T;
  }
}

/** One line from an API error body: `CODE field: message` (the field only when the message lacks it). */
export function describeFailure(status: number, body: unknown): string {
  const error = (typeof body === 'object' && body !== null ? (body as ErrorBody).error : undefined) ?? undefined;
  if (error && typeof error.code === 'string') {
    const message = typeof error.message === 'string' ? error.message : '';
    const field = typeof error.field === 'string' ? error.field : '';
    const text = field && !message.startsWith(field) ? `${field}: ${message}` : message;
    return `${error.code} ${text}`.trim().replace(/\s*\n\s*/g, ' ');
  }
  const snippet = typeof body === 'string' ? body.slice(0, 200) : '';
  return `HTTP ${status}${snippet ? ` ${snippet}` : ''}`.replace(/\s*\n\s*/g, ' ');
}

import { randomUUID } from 'node:crypto';
import { testStack } from './test-stack';

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** A small HTTP client for e2e tests: JSON in, JSON out, API key attached. */
export class ApiClient {
  constructor(private readonly baseUrl: string = testStack.gatewayUrl, private readonly apiKey?: string, private readonly extraHeaders: Record<string, string> = {}) {}

  withHeaders(headers: Record<string, string>): ApiClient {
    return new ApiClient(this.baseUrl, this.apiKey, { ...this.extraHeaders, ...headers });
  }

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const h: Record<string, string> = { accept: 'application/json', ...this.extraHeaders, ...headers };
    if (this.apiKey) h.authorization = `Bearer ${this.apiKey}`;
    let payload: string | Buffer | undefined;
    if (body !== undefined) {
      payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
      h['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers: h, body: payload });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  get<T = any>(path: string): Promise<ApiResponse<T>> { return this.request<T>('GET', path); }
  post<T = any>(path: string, body?: unknown): Promise<ApiResponse<T>> { return this.request<T>('POST', path, body); }
  put<T = any>(path: string, body?: unknown): Promise<ApiResponse<T>> { return this.request<T>('PUT', path, body); }
  patch<T = any>(path: string, body?: unknown): Promise<ApiResponse<T>> { return this.request<T>('PATCH', path, body); }
  delete<T = any>(path: string): Promise<ApiResponse<T>> { return this.request<T>('DELETE', path); }
}

/** A unique, readable id for one test's resources (orgs, slugs, topics). */
export function uniqueId(prefix = 't'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

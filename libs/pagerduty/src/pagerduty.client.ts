import axios, { AxiosInstance, AxiosResponse, Method } from 'axios';
import { PagerDutyApiError } from './pagerduty-api.error';
import { pagerDutyOperationOf } from './pagerduty-operation';
import {
  CreateIncidentBody, PdIncident, PdOncall, PdPriority, PdReference, PdUser, PdWebhookSubscription, UpdateIncidentBody,
} from './pagerduty-types';

export interface PagerDutyClientOptions {
  baseUrl: string;
  token: string;
  /** `token` → `Authorization: Token token=…` (API keys); `bearer` → OAuth. */
  tokenType?: 'token' | 'bearer';
  /** Email of the PagerDuty user our writes act as (the `From` header; required with account keys). */
  fromEmail?: string | null;
  timeoutMs?: number;
  /** Told about every request once it is answered (or failed without an answer: status 0); for metrics. Must not throw. */
  onResponse?: (observation: PagerDutyRequestObservation) => void;
}

/** One finished request, with no id, URL or body in it (see pagerDutyOperationOf). */
export interface PagerDutyRequestObservation {
  method: string;
  /** The path with its ids replaced: `/incidents/{id}/notes`. */
  operation: string;
  /** The HTTP status, 0 when no answer came (network error, timeout). */
  status: number;
  seconds: number;
}

export interface PdResponse<T> {
  status: number;
  data: T;
  /** `ratelimit-remaining`, when present. */
  rateLimitRemaining: number | null;
  latencyMs: number;
}

type Query = Record<string, string | number | boolean | (string | number)[] | undefined>;

/**
 * PagerDuty REST API v2 over axios. Every request pins the API version with the Accept
 * header (FACTS §2.1), sends JSON, and writes carry `From`. Errors become PagerDutyApiError
 * with PagerDuty's code and whether a retry can help; the token never appears in one.
 * Retrying is the caller's job (the dispatcher owns rate limits and backoff).
 */
export class PagerDutyClient {
  private readonly http: AxiosInstance;

  constructor(private readonly options: PagerDutyClientOptions) {
    this.http = axios.create({
      baseURL: options.baseUrl.replace(/\/+$/, ''),
      timeout: options.timeoutMs ?? 10000,
      validateStatus: () => true,
      maxRedirects: 0,
      headers: {
        Accept: 'application/vnd.pagerduty+json;version=2',
        Authorization: options.tokenType === 'bearer' ? `Bearer ${options.token}` : `Token token=${options.token}`,
        'User-Agent': 'incident-sync/0.1 (+https://github.com/incident-sync)',
      },
    });
  }

  async request<T>(method: Method, path: string, opts: { query?: Query; body?: unknown; from?: boolean } = {}): Promise<PdResponse<T>> {
    const headers: Record<string, string> = {};
    if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
    if (opts.from && this.options.fromEmail) headers.From = this.options.fromEmail;
    const started = Date.now();
    let response: AxiosResponse;
    try {
      response = await this.http.request({ method, url: path, params: opts.query, data: opts.body, headers });
    } catch (error) {
      // Network failure or timeout. Only the code and a generic message: the axios error
      // object holds the request config, including the Authorization header.
      const code = (error as { code?: string }).code ?? 'NETWORK';
      this.observe(method, path, 0, started);
      throw new PagerDutyApiError(`PagerDuty request ${method} ${path} failed: ${code}`, 0, null, true, null, null);
    }
    const latencyMs = Date.now() - started;
    this.observe(method, path, response.status, started);
    const remaining = Number(response.headers['ratelimit-remaining']);
    if (response.status >= 200 && response.status < 300) {
      return { status: response.status, data: response.data as T, rateLimitRemaining: Number.isFinite(remaining) ? remaining : null, latencyMs };
    }
    const body = typeof response.data === 'object' && response.data !== null ? (response.data as Record<string, unknown>) : null;
    const err = (body?.error ?? null) as { message?: unknown; code?: unknown; errors?: unknown } | null;
    const reset = Number(response.headers['ratelimit-reset']);
    const details = Array.isArray(err?.errors) ? ` (${(err.errors as unknown[]).join('; ')})` : '';
    const message = `PagerDuty ${method} ${path} answered ${response.status}: ${typeof err?.message === 'string' ? err.message : 'no error message'}${details}`;
    const retryable = response.status === 429 || response.status === 408 || response.status >= 500;
    throw new PagerDutyApiError(message, response.status, typeof err?.code === 'number' ? err.code : null, retryable, Number.isFinite(reset) && response.headers['ratelimit-reset'] !== undefined ? reset : null, body);
  }

  private observe(method: Method, path: string, status: number, started: number): void {
    if (!this.options.onResponse) return;
    try {
      this.options.onResponse({ method: String(method).toUpperCase(), operation: pagerDutyOperationOf(path), status, seconds: (Date.now() - started) / 1000 });
    } catch {
      // Metrics never change the outcome of a request.
    }
  }

  // --- incidents ---------------------------------------------------------------------
  async createIncident(incident: CreateIncidentBody): Promise<PdResponse<{ incident: PdIncident }>> {
    return this.request('POST', '/incidents', { body: { incident }, from: true });
  }

  async updateIncident(id: string, incident: UpdateIncidentBody): Promise<PdResponse<{ incident: PdIncident }>> {
    return this.request('PUT', `/incidents/${encodeURIComponent(id)}`, { body: { incident }, from: true });
  }

  async getIncident(id: string): Promise<PdResponse<{ incident: PdIncident }>> {
    return this.request('GET', `/incidents/${encodeURIComponent(id)}`);
  }

  async listIncidents(query: Query = {}): Promise<PdResponse<{ incidents: PdIncident[]; more: boolean; offset: number; limit: number; total: number | null }>> {
    return this.request('GET', '/incidents', { query });
  }

  async addNote(incidentId: string, content: string): Promise<PdResponse<{ note: { id: string; content: string; created_at: string } }>> {
    return this.request('POST', `/incidents/${encodeURIComponent(incidentId)}/notes`, { body: { note: { content } }, from: true });
  }

  /** `GET /incidents/{id}/notes`: every note of the incident (no documented pagination; at most 2,000). */
  async listNotes(incidentId: string): Promise<PdResponse<{ notes: Record<string, unknown>[] }>> {
    return this.request('GET', `/incidents/${encodeURIComponent(incidentId)}/notes`);
  }

  async listLogEntries(query: Query = {}): Promise<PdResponse<{ log_entries: Record<string, unknown>[]; more: boolean; total?: number | null }>> {
    return this.request('GET', '/log_entries', { query });
  }

  // --- account -----------------------------------------------------------------------
  async getCurrentUser(): Promise<PdResponse<{ user: PdUser }>> {
    return this.request('GET', '/users/me');
  }

  async getUser(id: string): Promise<PdResponse<{ user: PdUser }>> {
    return this.request('GET', `/users/${encodeURIComponent(id)}`);
  }

  async listUsers(query: Query = {}): Promise<PdResponse<{ users: PdUser[]; more: boolean }>> {
    return this.request('GET', '/users', { query });
  }

  async listAbilities(): Promise<PdResponse<{ abilities: string[] }>> {
    return this.request('GET', '/abilities');
  }

  async listPriorities(): Promise<PdResponse<{ priorities: PdPriority[] }>> {
    return this.request('GET', '/priorities');
  }

  async getService(id: string): Promise<PdResponse<{ service: PdReference & { name: string; escalation_policy: PdReference } }>> {
    return this.request('GET', `/services/${encodeURIComponent(id)}`);
  }

  async getEscalationPolicy(id: string): Promise<PdResponse<{ escalation_policy: PdReference & { name: string; escalation_rules: unknown[] } }>> {
    return this.request('GET', `/escalation_policies/${encodeURIComponent(id)}`);
  }

  async listOncalls(query: Query = {}): Promise<PdResponse<{ oncalls: PdOncall[]; more: boolean }>> {
    return this.request('GET', '/oncalls', { query });
  }

  async getSchedule(id: string, query: Query = {}): Promise<PdResponse<{ schedule: Record<string, unknown> }>> {
    return this.request('GET', `/schedules/${encodeURIComponent(id)}`, { query });
  }

  // --- webhook subscriptions ---------------------------------------------------------
  async listWebhookSubscriptions(query: Query = {}): Promise<PdResponse<{ webhook_subscriptions: PdWebhookSubscription[]; more: boolean }>> {
    return this.request('GET', '/webhook_subscriptions', { query });
  }

  async createWebhookSubscription(subscription: Omit<PdWebhookSubscription, 'id' | 'active'> & { active?: boolean }): Promise<PdResponse<{ webhook_subscription: PdWebhookSubscription }>> {
    return this.request('POST', '/webhook_subscriptions', { body: { webhook_subscription: subscription } });
  }

  async enableWebhookSubscription(id: string): Promise<PdResponse<{ webhook_subscription: PdWebhookSubscription }>> {
    return this.request('POST', `/webhook_subscriptions/${encodeURIComponent(id)}/enable`);
  }
}

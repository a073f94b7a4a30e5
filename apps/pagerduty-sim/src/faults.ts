/**
 * Fault injection (PUT /sim/faults, env SIM_FAULTS): one active configuration, replaced as a
 * whole. Rates are probabilities in [0, 1]. `path` (a regular expression), `method` and `token`
 * scope the REST faults; for webhook faults `path` is matched against the subscription URL.
 */
export interface FaultConfig {
  /** Share of matching REST requests answered with `rest_error_status` (default 500). */
  rest_error_rate?: number;
  rest_error_status?: number;
  /** Added to every matching REST answer, before the request is processed. */
  latency_ms?: number;
  /**
   * Share of matching REST requests that are processed at once but answered only after
   * `answer_delay_ms`: PagerDuty stored the write, the caller timed out ("outcome unknown").
   */
  answer_delay_rate?: number;
  answer_delay_ms?: number;
  /** Forced 429s ("storm") for the next N seconds and/or the next N matching requests. */
  storm_seconds?: number;
  storm_requests?: number;
  /** Webhooks: deliver a second time (same X-Webhook-Id), hold back, or silently lose. */
  webhook_duplicate_rate?: number;
  webhook_delay_rate?: number;
  webhook_delay_ms?: number;
  webhook_drop_rate?: number;
  path?: string;
  /** Only REST requests with this HTTP method (e.g. `PUT`: a 400 for updates, reads unharmed). */
  method?: string;
  token?: string;
}

const RATE_KEYS = ['rest_error_rate', 'answer_delay_rate', 'webhook_duplicate_rate', 'webhook_delay_rate', 'webhook_drop_rate'] as const;
const COUNT_KEYS = ['rest_error_status', 'latency_ms', 'answer_delay_ms', 'storm_seconds', 'storm_requests', 'webhook_delay_ms'] as const;

export function checkFaultConfig(input: unknown): { config?: FaultConfig; errors: string[] } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { errors: ['faults must be a JSON object'] };
  const raw = input as Record<string, unknown>;
  const errors: string[] = [];
  const known = new Set<string>([...RATE_KEYS, ...COUNT_KEYS, 'path', 'method', 'token']);
  for (const key of Object.keys(raw)) if (!known.has(key)) errors.push(`unknown fault option ${key}`);
  for (const key of RATE_KEYS) {
    const v = raw[key];
    if (v !== undefined && (typeof v !== 'number' || v < 0 || v > 1)) errors.push(`${key} must be a number between 0 and 1`);
  }
  for (const key of COUNT_KEYS) {
    const v = raw[key];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 0)) errors.push(`${key} must be a non-negative integer`);
  }
  if (raw.rest_error_status !== undefined && (Number(raw.rest_error_status) < 400 || Number(raw.rest_error_status) > 599)) errors.push('rest_error_status must be 400..599');
  if (raw.path !== undefined) {
    if (typeof raw.path !== 'string') errors.push('path must be a regular expression string');
    else {
      try { new RegExp(raw.path); } catch { errors.push('path is not a valid regular expression'); }
    }
  }
  if (raw.token !== undefined && typeof raw.token !== 'string') errors.push('token must be a string');
  if (raw.method !== undefined && (typeof raw.method !== 'string' || !/^(GET|POST|PUT|DELETE|PATCH)$/i.test(raw.method))) errors.push('method must be one of GET, POST, PUT, DELETE, PATCH');
  return errors.length ? { errors } : { config: raw as FaultConfig, errors };
}

export type RestFault =
  | { kind: 'none'; latencyMs: number; answerDelayMs: number }
  | { kind: 'error'; status: number; latencyMs: number }
  | { kind: 'storm'; latencyMs: number };

export class Faults {
  private config: FaultConfig = {};
  private stormUntil = 0;
  private stormRequestsLeft = 0;

  constructor(private readonly random: () => number = Math.random) {}

  set(config: FaultConfig, now: number): void {
    this.config = { ...config };
    this.stormUntil = config.storm_seconds ? now + config.storm_seconds * 1000 : 0;
    this.stormRequestsLeft = config.storm_requests ?? 0;
  }

  clear(): void {
    this.set({}, 0);
  }

  current(now: number): FaultConfig & { storm_active: boolean } {
    return { ...this.config, storm_active: this.stormActive(now) };
  }

  private stormActive(now: number): boolean {
    return (this.config.storm_seconds !== undefined && now < this.stormUntil) || this.stormRequestsLeft > 0;
  }

  private matches(target: string, token: string | null, method?: string): boolean {
    if (this.config.path !== undefined && !new RegExp(this.config.path).test(target)) return false;
    if (this.config.method !== undefined && method !== undefined && this.config.method.toUpperCase() !== method.toUpperCase()) return false;
    if (this.config.token !== undefined && this.config.token !== token) return false;
    return true;
  }

  /** What to do to one REST request. A storm by request count only counts matching requests. */
  forRequest(path: string, token: string | null, now: number, method?: string): RestFault {
    if (!this.matches(path, token, method)) return { kind: 'none', latencyMs: 0, answerDelayMs: 0 };
    const latencyMs = this.config.latency_ms ?? 0;
    if (this.stormActive(now)) {
      if (this.stormRequestsLeft > 0) this.stormRequestsLeft -= 1;
      return { kind: 'storm', latencyMs };
    }
    if ((this.config.rest_error_rate ?? 0) > 0 && this.random() < (this.config.rest_error_rate ?? 0)) {
      return { kind: 'error', status: this.config.rest_error_status ?? 500, latencyMs };
    }
    const delayed = (this.config.answer_delay_rate ?? 0) > 0 && this.random() < (this.config.answer_delay_rate ?? 0);
    return { kind: 'none', latencyMs, answerDelayMs: delayed ? this.config.answer_delay_ms ?? 5000 : 0 };
  }

  forDelivery(url: string): { drop: boolean; duplicate: boolean; delayMs: number } {
    if (!this.matches(url, this.config.token === undefined ? null : this.config.token)) return { drop: false, duplicate: false, delayMs: 0 };
    const roll = (rate: number | undefined): boolean => (rate ?? 0) > 0 && this.random() < (rate ?? 0);
    return {
      drop: roll(this.config.webhook_drop_rate),
      duplicate: roll(this.config.webhook_duplicate_rate),
      delayMs: roll(this.config.webhook_delay_rate) ? this.config.webhook_delay_ms ?? 1000 : 0,
    };
  }
}

/** A PagerDuty REST failure, classified for retry-vs-DLQ. Never carries the token. */
export class PagerDutyApiError extends Error {
  constructor(
    message: string,
    /** HTTP status; 0 for network errors and timeouts. */
    readonly status: number,
    /** PagerDuty's numeric error code (e.g. 2001, 1001, 2020), when the body had one. */
    readonly pdCode: number | null,
    /** 429, 5xx, 408 and network failures can succeed later; other 4xx cannot. */
    readonly retryable: boolean,
    /** Seconds from `ratelimit-reset`, when PagerDuty sent it. */
    readonly rateLimitResetSeconds: number | null,
    /** The error body PagerDuty returned ({"error":{...}}), for the DLQ and operators. */
    readonly body: Record<string, unknown> | null,
  ) {
    super(message);
    this.name = 'PagerDutyApiError';
  }
}

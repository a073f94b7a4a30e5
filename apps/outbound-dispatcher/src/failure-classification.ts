import { PagerDutyApiError } from '@incident-sync/pagerduty';

export type FailureKind = 'rate_limited' | 'transient' | 'permanent';

/** A command that no PagerDuty answer can make succeed (bad shape, incident not found). */
export class CommandRejectedError extends Error {
  constructor(readonly code: 'INVALID_COMMAND' | 'PD_INCIDENT_UNKNOWN', message: string) {
    super(message);
    this.name = 'CommandRejectedError';
  }
}

export interface ClassifiedFailure {
  kind: FailureKind;
  /** The DLQ errorCode when this failure is final. */
  code: string;
  /** The request may have taken effect (timeout, network error, 5xx): a create must be looked up before it is retried. */
  outcomeUnknown: boolean;
  httpStatus: number | null;
  message: string;
  /** PagerDuty's error body ({"error":{message, code, errors}}), when it sent one. */
  body: Record<string, unknown> | null;
  rateLimitResetSeconds: number | null;
}

/**
 * Retry-vs-DLQ for one PagerDuty call (FACTS §2.5, §2.7): 429 waits and retries without
 * counting against the attempt limit; 408, 5xx and network errors/timeouts retry with backoff
 * up to the limit; every other 4xx is permanent. Anything that is not a PagerDuty answer (a
 * bug, a driver error) is transient, so the bounded retries end in the DLQ, never in a loss.
 */
export function classifyFailure(error: unknown): ClassifiedFailure {
  if (error instanceof PagerDutyApiError) {
    const base = { httpStatus: error.status === 0 ? null : error.status, message: error.message, body: error.body, rateLimitResetSeconds: error.rateLimitResetSeconds };
    if (error.status === 429) return { ...base, kind: 'rate_limited', code: 'PAGERDUTY_RATE_LIMITED', outcomeUnknown: false };
    if (error.status === 0 || error.status === 408 || error.status >= 500) return { ...base, kind: 'transient', code: 'PAGERDUTY_UNAVAILABLE', outcomeUnknown: true };
    return { ...base, kind: 'permanent', code: 'PAGERDUTY_REJECTED', outcomeUnknown: false };
  }
  if (error instanceof CommandRejectedError) {
    return { kind: 'permanent', code: error.code, outcomeUnknown: false, httpStatus: null, message: error.message, body: null, rateLimitResetSeconds: null };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'transient', code: 'DISPATCH_FAILED', outcomeUnknown: true, httpStatus: null, message, body: null, rateLimitResetSeconds: null };
}

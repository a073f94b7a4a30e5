export interface MessagingOptions {
  /** Identifies this service to the broker (logs, quotas). */
  clientId: string;
  brokers: string[];
  /** How long concurrent publishes are gathered into one produce request (RECIPE: ~4x throughput). */
  lingerMs?: number;
  retry?: RetryPolicy;
}

export interface RetryPolicy {
  /** Total tries of a handler for a retryable failure before the message is dead-lettered. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 200, maxDelayMs: 5000 };

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

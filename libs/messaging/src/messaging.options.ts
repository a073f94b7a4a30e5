import type { BackoffPolicy } from './retry-backoff';

export interface MessagingOptions {
  /** Identifies this service to the broker (logs, quotas). */
  clientId: string;
  brokers: string[];
  /** How long concurrent publishes are gathered into one produce request (RECIPE: ~4x throughput). */
  lingerMs?: number;
  retry?: RetryPolicy;
  parking?: ParkingPolicy;
}

export interface RetryPolicy {
  /**
   * Tries of a handler for a failure nobody classified (a bug, an unexpected driver error)
   * before it is treated as a poison message and dead-lettered. Transient failures are never
   * limited by this: they are parked until they succeed or exceed `parking.maxParkedMs`.
   */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface ParkingPolicy {
  /** A record parked longer than this goes to the DLQ with its history (default 24 h; PagerDuty itself retries webhooks for 48 h). */
  maxParkedMs?: number;
  /** How often the drainer looks for due parked records (default 500 ms). */
  pollMs?: number;
  /** Backoff of a parked key's head (default 500 ms doubling, capped at 60 s). */
  backoff?: BackoffPolicy;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 200, maxDelayMs: 5000 };

export const DEFAULT_MAX_PARKED_MS = 24 * 3600 * 1000;

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

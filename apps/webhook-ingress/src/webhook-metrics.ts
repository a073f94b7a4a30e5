import { Injectable } from '@nestjs/common';
import { AppError, ErrorCode } from '@incident-sync/contracts';
import { Metrics } from '@incident-sync/service-runtime';
import type { ReceiveOutcome } from './receive-webhook.service';

export type WebhookRejection = 'invalid_signature' | 'not_found' | 'validation' | 'too_large' | 'unavailable' | 'error';

const REASON_OF: Partial<Record<ErrorCode, WebhookRejection>> = {
  INVALID_SIGNATURE: 'invalid_signature',
  UNAUTHENTICATED: 'invalid_signature',
  NOT_FOUND: 'not_found',
  VALIDATION_FAILED: 'validation',
  MALFORMED_MESSAGE: 'validation',
  PAYLOAD_TOO_LARGE: 'too_large',
  DEPENDENCY_UNAVAILABLE: 'unavailable',
  UPSTREAM_UNAVAILABLE: 'unavailable',
  RATE_LIMITED: 'unavailable',
};

/** Why a delivery was refused, as a metric label (a fixed vocabulary, never the message). */
export function webhookRejectionReason(error: unknown): WebhookRejection {
  return (error instanceof AppError ? REASON_OF[error.code] : undefined) ?? 'error';
}

/** A 2xx answer as a metric label: stored as new, a duplicate of a stored one, or a ping. */
export function webhookAcceptedResult(outcome: ReceiveOutcome): 'new' | 'duplicate' | 'ping' {
  return outcome.status === 'accepted' ? 'new' : outcome.status;
}

/**
 * PagerDuty deliveries by answer: `accepted` (2xx, PagerDuty will not send it again) by
 * result, `rejected` (4xx/5xx) by reason. Requests refused by the HTTP layer before the
 * controller (body too large, not JSON) are not counted here.
 */
@Injectable()
export class WebhookMetrics {
  private readonly accepted;
  private readonly rejected;

  constructor(metrics: Metrics) {
    this.accepted = metrics.counter('incident_sync_webhooks_accepted_total', 'PagerDuty webhook deliveries answered 2xx, by result (new: stored and published; duplicate; ping)', ['result']);
    this.rejected = metrics.counter('incident_sync_webhooks_rejected_total', 'PagerDuty webhook deliveries refused, by reason (invalid_signature, not_found, validation, unavailable, ...)', ['reason']);
  }

  accept(outcome: ReceiveOutcome): void {
    this.accepted.inc({ result: webhookAcceptedResult(outcome) });
  }

  reject(error: unknown): void {
    this.rejected.inc({ reason: webhookRejectionReason(error) });
  }
}

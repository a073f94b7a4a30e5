import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppError, PagerDutyWebhookReceivedV1 } from '@incident-sync/contracts';
import { IntegrationLookup, IntegrationRuntimeConfig, isUuid } from '@incident-sync/integration-config-client';
import { verifyWebhookSignature } from '@incident-sync/pagerduty';
import { BoundedCache, findUnsafeInput } from '@incident-sync/service-runtime';
import { IngressCounterRepository } from './ingress-counter.repository';
import { ReceiptWriter, StoreOutcome } from './receipt-writer';
import { isPing, MAX_ENVELOPE_STRING, parseWebhookEnvelope, WebhookEnvelope } from './webhook-envelope';

export interface DeliveryHeaders {
  /** X-PagerDuty-Signature: never logged, never echoed. */
  signature: string | undefined;
  /** X-Webhook-Id: the same on every retry of one delivery. */
  webhookId: string | undefined;
}

export interface AuthenticatedDelivery {
  config: IntegrationRuntimeConfig;
  envelope: WebhookEnvelope;
}

export type ReceiveOutcome = StoreOutcome | { status: 'ping' };

/** A forced re-read after a signature mismatch happens at most this often per integration. */
const REFRESH_MIN_INTERVAL_MS = 10000;
/** Integrations whose re-read is being throttled, at most (LRU beyond that). */
const REFRESH_THROTTLE_ENTRIES = 10000;

/**
 * One PagerDuty delivery, from raw bytes to a committed receipt + outbox row. Order matters:
 * integration (404), signature over the raw bytes (401, nothing stored), envelope (400),
 * then the dedupe receipt and the message in one transaction (ReceiptWriter: one per group
 * of concurrent deliveries). The 202 is sent only after that commit, so an acknowledged
 * delivery cannot be lost; any storage failure is a 503 so PagerDuty retries instead of
 * dropping it (FACTS §1.5).
 */
@Injectable()
export class ReceiveWebhookService {
  private readonly logger = new Logger(ReceiveWebhookService.name);
  /** Canonical ids of integrations re-read after a mismatch within the last REFRESH_MIN_INTERVAL_MS. */
  private readonly recentRefreshes = new BoundedCache<string, true>({ maxEntries: REFRESH_THROTTLE_ENTRIES, ttlMs: REFRESH_MIN_INTERVAL_MS });

  constructor(
    private readonly writer: ReceiptWriter,
    private readonly integrations: IntegrationLookup,
    private readonly counters: IngressCounterRepository,
  ) {}

  /**
   * The verification path shared by real deliveries and the self-test: the integration must
   * exist (paused ones included: their deliveries are kept, see `integration`), one `v1=` entry must match one active secret, and the body must be
   * a v3 envelope. The self-test neither counts its (deliberate) rejections nor forces a re-read.
   */
  async authenticate(integrationId: string, rawBody: Buffer, signature: string | undefined, options: { selfTest?: boolean } = {}): Promise<AuthenticatedDelivery> {
    let config = await this.integration(integrationId);
    let verified = verifyWebhookSignature(rawBody, signature, config.webhookSecrets);
    if (!verified && signature && !options.selfTest) {
      // Maybe the secret rotated and our cached copy is stale: read it again once.
      const fresh = await this.refreshAfterMismatch(config.id);
      if (fresh) {
        config = fresh;
        verified = verifyWebhookSignature(rawBody, signature, fresh.webhookSecrets);
      }
    }
    if (!verified) {
      if (options.selfTest) throw new AppError('INVALID_SIGNATURE', 'missing or invalid X-PagerDuty-Signature');
      await this.counters.count(config.id, 'rejected_signature_total').catch(() => undefined);
      this.logger.warn({ msg: 'rejected a delivery: X-PagerDuty-Signature did not verify', integrationId: config.id, reason: signature ? 'non-matching' : 'missing' });
      throw new AppError('INVALID_SIGNATURE', 'missing or invalid X-PagerDuty-Signature');
    }
    let body: unknown;
    try {
      body = JSON.parse(rawBody.toString('utf8'));
    } catch {
      throw AppError.validation('body', 'body is not JSON');
    }
    // NUL and lone surrogates cannot be stored (jsonb refuses them), prototype keys break
    // validation, absurd nesting overflows serialisation: a 400 now, not a 503 PagerDuty
    // would retry for a day. PagerDuty sends none of these.
    const unsafe = findUnsafeInput(body);
    if (unsafe) throw AppError.validation(unsafe.field, unsafe.message);
    const envelope = parseWebhookEnvelope(body);
    return { config, envelope };
  }

  async receive(integrationId: string, rawBody: Buffer, headers: DeliveryHeaders): Promise<ReceiveOutcome> {
    const webhookId = headers.webhookId?.trim() || null;
    if (webhookId && webhookId.length > MAX_ENVELOPE_STRING) throw AppError.validation('X-Webhook-Id', `X-Webhook-Id is longer than ${MAX_ENVELOPE_STRING} characters`);
    const { config, envelope } = await this.authenticate(integrationId, rawBody, headers.signature);

    if (isPing(envelope)) {
      await this.counters.count(config.id, 'ping_total').catch(() => undefined);
      return { status: 'ping' };
    }

    const receivedAt = new Date().toISOString();
    const message: PagerDutyWebhookReceivedV1 = {
      receiptId: randomUUID(),
      integrationId: config.id,
      organizationId: config.organizationId,
      webhookId,
      eventId: envelope.eventId,
      eventType: envelope.eventType,
      resourceType: envelope.resourceType,
      pdIncidentId: envelope.pdIncidentId,
      occurredAt: envelope.occurredAt,
      receivedAt,
      event: envelope.event,
    };
    try {
      return await this.writer.store(message, rawBody.length);
    } catch (error) {
      if (error instanceof AppError && !error.retryable) throw error;
      this.logger.warn({ msg: 'could not store delivery', integrationId: config.id, eventId: envelope.eventId, err: error });
      throw new AppError('DEPENDENCY_UNAVAILABLE', 'cannot store the delivery right now; retry shortly');
    }
  }

  /**
   * The path's integration: a UUID (the webhook URL carries the id; anything else names no
   * integration and is refused before any lookup), known, else 404. A paused (disabled)
   * integration still receives: its deliveries are stored and published like any other and the
   * sync-engine holds them until the integration is enabled again (issue #14) — a 404 would make
   * PagerDuty drop them and, repeated, disable the subscription. integration-config unreachable
   * → 503 from the lookup, so PagerDuty retries rather than drops (FACTS §1.5).
   */
  private async integration(integrationId: string): Promise<IntegrationRuntimeConfig> {
    if (!isUuid(integrationId)) throw new AppError('NOT_FOUND', 'no integration at this URL: a webhook URL ends in the integration id (a UUID)');
    const config = await this.integrations.byId(integrationId);
    if (config === null) throw AppError.notFound(`integration ${integrationId}`);
    return config;
  }

  /**
   * Re-reads an integration once its cached secrets failed to verify a delivery: after a
   * secret rotation whose change event was missed, the cache would otherwise answer 401 and
   * PagerDuty would drop the delivery. Throttled so bad requests cannot hammer integration-config.
   */
  private async refreshAfterMismatch(canonicalId: string): Promise<IntegrationRuntimeConfig | null> {
    if (this.recentRefreshes.get(canonicalId) === true) return null;
    this.recentRefreshes.set(canonicalId, true);
    this.integrations.invalidate(canonicalId);
    return this.integrations.byId(canonicalId);
  }
}

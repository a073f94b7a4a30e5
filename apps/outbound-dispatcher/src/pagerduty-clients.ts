import { Inject, Injectable } from '@nestjs/common';
import { IntegrationRuntimeConfig } from '@incident-sync/integration-config-client';
import { PagerDutyClient } from '@incident-sync/pagerduty';
import { DISPATCH_SETTINGS, DispatchSettings } from './dispatch-settings';
import { TokenBucket } from './token-bucket';

/**
 * Per-integration caches of the instance draining it: the token bucket (the integration's
 * PagerDuty budget, README "Rate limit") and the HTTP client, rebuilt when the integration's
 * token, base URL or From changes.
 */
@Injectable()
export class PagerDutyClients {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly clients = new Map<string, { fingerprint: string; client: PagerDutyClient }>();

  constructor(@Inject(DISPATCH_SETTINGS) private readonly settings: DispatchSettings) {}

  /** The live bucket when this instance owns the integration (tokens_available in status). */
  bucketOf(integrationId: string): TokenBucket | undefined {
    return this.buckets.get(integrationId);
  }

  bucketFor(config: IntegrationRuntimeConfig): TokenBucket {
    const rate = Math.max(1, config.rateLimitPerMinute);
    const bucket = this.buckets.get(config.id);
    if (bucket) {
      bucket.setRate(rate);
      return bucket;
    }
    const fresh = new TokenBucket(rate);
    this.buckets.set(config.id, fresh);
    return fresh;
  }

  clientFor(config: IntegrationRuntimeConfig): PagerDutyClient {
    const fingerprint = `${config.version}|${config.updatedAt}|${config.baseUrl}|${config.fromEmail ?? ''}`;
    const cached = this.clients.get(config.id);
    if (cached && cached.fingerprint === fingerprint) return cached.client;
    const client = new PagerDutyClient({ baseUrl: config.baseUrl, token: config.token, fromEmail: config.fromEmail, timeoutMs: this.settings.requestTimeoutMs });
    this.clients.set(config.id, { fingerprint, client });
    return client;
  }
}

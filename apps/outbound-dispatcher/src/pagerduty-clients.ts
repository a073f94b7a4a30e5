import { Inject, Injectable, Optional } from '@nestjs/common';
import { IntegrationRuntimeConfig } from '@incident-sync/integration-config-client';
import { PagerDutyClient, PagerDutyClientOptions, pagerDutyRequestMetrics } from '@incident-sync/pagerduty';
import { BoundedCache, Metrics, metricLabel } from '@incident-sync/service-runtime';
import { DISPATCH_SETTINGS, DispatchSettings } from './dispatch-settings';
import { TokenBucket } from './token-bucket';

/** Integrations one instance drains at a time, at most; a bucket idle this long has refilled anyway. */
const PER_INTEGRATION_ENTRIES = 10000;
const IDLE_MS = 10 * 60 * 1000;

/**
 * Per-integration caches of the instance draining it: the token bucket (the integration's
 * PagerDuty budget, README "Rate limit") and the HTTP client, rebuilt when the integration's
 * token, base URL or From changes. Both are bounded (clients hold a decrypted token) and
 * dropped after 10 idle minutes. Metrics: every request (`incident_sync_pagerduty_requests_total`
 * …) and the tokens of each live bucket (`incident_sync_pagerduty_tokens_available{integration_id}`,
 * read at scrape; only integrations this instance drains have one).
 */
@Injectable()
export class PagerDutyClients {
  private readonly buckets = new BoundedCache<string, TokenBucket>({ maxEntries: PER_INTEGRATION_ENTRIES, ttlMs: IDLE_MS });
  private readonly clients = new BoundedCache<string, { fingerprint: string; client: PagerDutyClient }>({ maxEntries: PER_INTEGRATION_ENTRIES, ttlMs: IDLE_MS });

  private readonly onResponse: PagerDutyClientOptions['onResponse'];

  constructor(@Inject(DISPATCH_SETTINGS) private readonly settings: DispatchSettings, @Optional() metrics?: Metrics) {
    if (!metrics) return;
    this.onResponse = pagerDutyRequestMetrics(metrics);
    metrics.gaugeReadAtScrape('incident_sync_pagerduty_tokens_available', 'Tokens of an integration\'s PagerDuty rate-limit bucket that could be spent now (integrations this instance drains)', ['integration_id'], async () =>
      this.buckets.liveEntries().map(([id, bucket]) => ({ labels: { integration_id: metricLabel(id) }, value: bucket.available() })));
  }

  /** The live bucket when this instance owns the integration (tokens_available in status). */
  bucketOf(integrationId: string): TokenBucket | undefined {
    return this.buckets.get(integrationId);
  }

  bucketFor(config: IntegrationRuntimeConfig): TokenBucket {
    const rate = Math.max(1, config.rateLimitPerMinute);
    const bucket = this.buckets.get(config.id) ?? new TokenBucket(rate);
    bucket.setRate(rate);
    // Set again on every use: the idle time counts from the last use.
    this.buckets.set(config.id, bucket);
    return bucket;
  }

  clientFor(config: IntegrationRuntimeConfig): PagerDutyClient {
    const fingerprint = `${config.version}|${config.updatedAt}|${config.baseUrl}|${config.fromEmail ?? ''}`;
    const cached = this.clients.get(config.id);
    if (cached && cached.fingerprint === fingerprint) {
      this.clients.set(config.id, cached);
      return cached.client;
    }
    const client = new PagerDutyClient({ baseUrl: config.baseUrl, token: config.token, fromEmail: config.fromEmail, timeoutMs: this.settings.requestTimeoutMs, onResponse: this.onResponse });
    this.clients.set(config.id, { fingerprint, client });
    return client;
  }
}

import { Type } from 'class-transformer';
import { IsInt, IsString, IsUrl, Matches, Max, Min } from 'class-validator';
import { KafkaEnv } from '@incident-sync/service-runtime';

const url = { require_tld: false, require_protocol: true };
// Numbers carry @Type(() => Number): without a type annotation a field has no `design:type`
// metadata, so implicit conversion alone would leave "8083" a string.

/** webhook-ingress variables (README lists them); the only reader of the environment. */
export class WebhookIngressEnv extends KafkaEnv {
  @Type(() => Number) override PORT = 8083;
  @IsUrl(url) INTEGRATION_CONFIG_URL = 'http://127.0.0.1:8081';
  /**
   * Larger bodies answer 413. PagerDuty sends up to 256 KB and drops a delivery for good on a
   * 4xx (FACTS §1.5), so at least that is accepted; at most 960 KiB, so the event published
   * to Kafka (the re-serialized event, never larger than its body, plus ~1 KB of metadata)
   * stays under the broker's 1 MiB message limit.
   */
  @Type(() => Number) @IsInt() @Min(256 * 1024) @Max(960 * 1024) WEBHOOK_MAX_BODY_BYTES = 512 * 1024;
  /** PagerDuty retries one delivery for up to 48 h (FACTS §1.5), so dedupe ids must outlive that. */
  @Type(() => Number) @IsInt() @Min(48) WEBHOOK_DEDUPE_RETENTION_HOURS = 72;
  /** How long an integration's secrets are cached when no change event arrives. */
  @Type(() => Number) @IsInt() @Min(0) INTEGRATION_CACHE_TTL_MS = 60000;
  /** The service's Postgres schema (tests use a throw-away one). */
  @IsString() @Matches(/^[a-z_][a-z0-9_]{0,62}$/) DATABASE_SCHEMA = 'webhook_ingress';
  /** Consumer group of integration.config.changed (tests use a unique one). */
  @IsString() KAFKA_GROUP_ID = 'webhook-ingress';
}

import { IsInt, IsString, IsUrl, Matches, Max, Min } from 'class-validator';
import { KafkaEnv } from '@incident-sync/service-runtime';

const url = { require_tld: false, require_protocol: true };

/** webhook-ingress variables (README lists them); the only reader of the environment. */
export class WebhookIngressEnv extends KafkaEnv {
  override PORT: number = 8083;
  @IsUrl(url) INTEGRATION_CONFIG_URL: string = 'http://127.0.0.1:8081';
  /** Larger bodies answer 413. PagerDuty itself drops deliveries above 256 KB (FACTS §1.5). */
  @IsInt() @Min(1024) @Max(64 * 1024 * 1024) WEBHOOK_MAX_BODY_BYTES: number = 2 * 1024 * 1024;
  /** PagerDuty retries one delivery for up to 48 h (FACTS §1.5), so dedupe ids must outlive that. */
  @IsInt() @Min(48) WEBHOOK_DEDUPE_RETENTION_HOURS: number = 72;
  /** How long an integration's secrets are cached when no change event arrives. */
  @IsInt() @Min(0) INTEGRATION_CACHE_TTL_MS: number = 60000;
  /** The service's Postgres schema (tests use a throw-away one). */
  @IsString() @Matches(/^[a-z_][a-z0-9_]{0,62}$/) DATABASE_SCHEMA: string = 'webhook_ingress';
  /** Consumer group of integration.config.changed (tests use a unique one). */
  @IsString() KAFKA_GROUP_ID: string = 'webhook-ingress';
}

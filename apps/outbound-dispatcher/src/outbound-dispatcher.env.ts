import { Type } from 'class-transformer';
import { IsInt, IsString, IsUrl, Matches, Max, Min } from 'class-validator';
import { KafkaEnv } from '@incident-sync/service-runtime';

const url = { require_tld: false, require_protocol: true };
// Numbers carry @Type(() => Number): without a type annotation a field has no `design:type`
// metadata, so implicit conversion alone would leave "8083" a string.

/** outbound-dispatcher variables (README lists them); the only reader of the environment. */
export class OutboundDispatcherEnv extends KafkaEnv {
  @Type(() => Number) override PORT = 8085;
  @IsUrl(url) INTEGRATION_CONFIG_URL = 'http://127.0.0.1:8081';
  @Type(() => Number) @IsInt() @Min(0) INTEGRATION_CACHE_TTL_MS = 60000;
  /** First retry delay; each further failure multiplies it by the integration's backoff_multiplier. */
  @Type(() => Number) @IsInt() @Min(1) DISPATCH_BACKOFF_BASE_MS = 1000;
  /** Cap of one retry delay (issue #13: at most 60 s unless PagerDuty's `ratelimit-reset` says longer). */
  @Type(() => Number) @IsInt() @Min(1) @Max(60000) DISPATCH_BACKOFF_MAX_MS = 60000;
  /**
   * A command failing transiently (5xx, 408, 429, timeouts, connection errors) is retried —
   * parked — until it succeeds; only once it has been parked this long does it go to the DLQ
   * (PARKED_TOO_LONG, with its history). Default 24 h (PagerDuty itself retries for 48 h).
   */
  @Type(() => Number) @IsInt() @Min(1000) DISPATCH_PARK_LIMIT_MS = 24 * 60 * 60 * 1000;
  /** Timeout of one PagerDuty request. */
  @Type(() => Number) @IsInt() @Min(100) DISPATCH_REQUEST_TIMEOUT_MS = 10000;
  /** How often idle workers look for work that arrived on another replica or after backoff. */
  @Type(() => Number) @IsInt() @Min(10) DISPATCH_POLL_MS = 500;
  /** An integration's worker holds a lease this long and renews it; a crashed owner's lease expires. */
  @Type(() => Number) @IsInt() @Min(1000) DISPATCH_LEASE_MS = 15000;
  /** Settled commands are kept this long (their ids de-duplicate redelivered commands). */
  @Type(() => Number) @IsInt() @Min(1) DISPATCH_RETENTION_DAYS = 7;
  @IsString() @Matches(/^[a-z_][a-z0-9_]{0,62}$/) DATABASE_SCHEMA = 'outbound_dispatcher';
  @IsString() KAFKA_GROUP_ID = 'outbound-dispatcher';
}

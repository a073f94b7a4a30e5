import { IsInt, IsString, IsUrl, Matches, Max, Min } from 'class-validator';
import { KafkaEnv } from '@incident-sync/service-runtime';

const url = { require_tld: false, require_protocol: true };

/** outbound-dispatcher variables (README lists them); the only reader of the environment. */
export class OutboundDispatcherEnv extends KafkaEnv {
  override PORT: number = 8085;
  @IsUrl(url) INTEGRATION_CONFIG_URL: string = 'http://127.0.0.1:8081';
  @IsInt() @Min(0) INTEGRATION_CACHE_TTL_MS: number = 60000;
  /** Tries of one command for 5xx/network errors before it is dead-lettered (429s do not count). */
  @IsInt() @Min(1) @Max(100) DISPATCH_MAX_ATTEMPTS: number = 8;
  /** First retry delay; each further failure multiplies it by the integration's backoff_multiplier. */
  @IsInt() @Min(1) DISPATCH_BACKOFF_BASE_MS: number = 1000;
  @IsInt() @Min(1) DISPATCH_BACKOFF_MAX_MS: number = 120000;
  /** Timeout of one PagerDuty request. */
  @IsInt() @Min(100) DISPATCH_REQUEST_TIMEOUT_MS: number = 10000;
  /** How often idle workers look for work that arrived on another replica or after backoff. */
  @IsInt() @Min(10) DISPATCH_POLL_MS: number = 500;
  /** An integration's worker holds a lease this long and renews it; a crashed owner's lease expires. */
  @IsInt() @Min(1000) DISPATCH_LEASE_MS: number = 15000;
  /** Settled commands are kept this long (their ids de-duplicate redelivered commands). */
  @IsInt() @Min(1) DISPATCH_RETENTION_DAYS: number = 7;
  @IsString() @Matches(/^[a-z_][a-z0-9_]{0,62}$/) DATABASE_SCHEMA: string = 'outbound_dispatcher';
  @IsString() KAFKA_GROUP_ID: string = 'outbound-dispatcher';
}

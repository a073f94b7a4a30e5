import { IsInt, IsString, IsUrl, Matches, Min } from 'class-validator';
import { KafkaEnv } from '@incident-sync/service-runtime';

const url = { require_tld: false, require_protocol: true };

/** sync-engine variables (README lists them); the only reader of the environment. */
export class SyncEngineEnv extends KafkaEnv {
  override PORT: number = 8084;
  @IsUrl(url) INTEGRATION_CONFIG_URL: string = 'http://127.0.0.1:8081';
  /** The incidents service (the outbound backfill lists and announces platform incidents over its API). */
  @IsUrl(url) INCIDENTS_URL: string = 'http://127.0.0.1:8082';
  @IsUrl(url) OUTBOUND_DISPATCHER_URL: string = 'http://127.0.0.1:8085';
  @IsUrl(url) WEBHOOK_INGRESS_URL: string = 'http://127.0.0.1:8083';
  @IsUrl(url) DLQ_MANAGER_URL: string = 'http://127.0.0.1:8086';
  @IsInt() @Min(0) INTEGRATION_CACHE_TTL_MS: number = 60000;
  /** PagerDuty users (id → email) are re-read after this long. */
  @IsInt() @Min(1000) PD_USER_CACHE_TTL_MS: number = 3600000;
  /** How long a PagerDuty read waits for a token of the shared budget before its message is parked instead (short: a wait holds the partition). */
  @IsInt() @Min(0) PD_READ_MAX_WAIT_MS: number = 200;
  /** How often each replica looks for integrations whose reconcile pass is due (issue #14); 0 turns scheduled passes off. */
  @IsInt() @Min(0) RECONCILE_TICK_MS: number = 5000;
  @IsString() @Matches(/^[a-z_][a-z0-9_]{0,62}$/) DATABASE_SCHEMA: string = 'sync_engine';
  @IsString() KAFKA_GROUP_ID: string = 'sync-engine';
}

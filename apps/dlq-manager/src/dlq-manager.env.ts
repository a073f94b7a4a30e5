import { Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsString, Min } from 'class-validator';
import { KafkaEnv } from '@incident-sync/service-runtime';

/** dlq-manager variables: the common ones plus where integration slugs are resolved. */
export class DlqManagerEnv extends KafkaEnv {
  override PORT = 8086;
  /** integration-config's internal API (resolves `:ref` / `integration=` in the caller's organization). */
  @IsString() @IsNotEmpty() INTEGRATION_CONFIG_URL = 'http://127.0.0.1:8081';
  /** How long a looked-up integration (id, slug, organization) is reused; dlq-manager reads no change events. */
  @Type(() => Number) @IsInt() @Min(0) INTEGRATION_CACHE_TTL_MS = 10000;
}

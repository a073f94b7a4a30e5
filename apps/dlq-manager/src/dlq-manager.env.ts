import { IsNotEmpty, IsString } from 'class-validator';
import { KafkaEnv } from '@incident-sync/service-runtime';

/** dlq-manager variables: the common ones plus where integration slugs are resolved. */
export class DlqManagerEnv extends KafkaEnv {
  override PORT = 8086;
  /** integration-config's internal API (resolves `:ref` slugs of GET /integrations/:ref/dlq). */
  @IsString() @IsNotEmpty() INTEGRATION_CONFIG_URL = 'http://127.0.0.1:8081';
}

import { IsInt, IsOptional, IsString, IsUrl, Min } from 'class-validator';
import { BaseEnv } from '@incident-sync/service-runtime';

const url = { require_tld: false, require_protocol: true };

/** Gateway variables; upstream URLs default to the local ports in @incident-sync/contracts. */
export class GatewayEnv extends BaseEnv {
  override PORT: number = 8080;
  @IsUrl(url) INTEGRATION_CONFIG_URL: string = 'http://127.0.0.1:8081';
  @IsUrl(url) INCIDENTS_URL: string = 'http://127.0.0.1:8082';
  @IsUrl(url) WEBHOOK_INGRESS_URL: string = 'http://127.0.0.1:8083';
  @IsUrl(url) SYNC_ENGINE_URL: string = 'http://127.0.0.1:8084';
  @IsUrl(url) OUTBOUND_DISPATCHER_URL: string = 'http://127.0.0.1:8085';
  @IsUrl(url) DLQ_MANAGER_URL: string = 'http://127.0.0.1:8086';
  /** How long a resolved API key is trusted before asking integration-config again. */
  @IsInt() @Min(0) AUTH_CACHE_TTL_MS: number = 30000;
  @IsInt() @Min(1000) UPSTREAM_TIMEOUT_MS: number = 30000;
  @IsOptional() @IsString() GATEWAY_BODY_LIMIT_BYTES?: string;
}

import { Transform } from 'class-transformer';
import { IsBoolean, IsNotEmpty, IsString, Matches } from 'class-validator';
import { envBoolean, IsStrongSecret, KafkaEnv } from '@incident-sync/service-runtime';

const splitList = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean) : value;

export class IntegrationConfigEnv extends KafkaEnv {
  override PORT = 8081;
  /**
   * Our public base URL as PagerDuty reaches it (the gateway behind your TLS proxy): the webhook
   * URL `im integration configure` prints is `<PUBLIC_BASE_URL>/api/v1/webhooks/<id>`, and
   * `--create-webhook` without a URL subscribes it.
   */
  @Matches(/^https?:\/\/[^\s/?#@]+(\/[^\s?#]*)?$/, { message: 'PUBLIC_BASE_URL must be an absolute http(s) URL without query, fragment or credentials, e.g. https://sync.example.com' })
  PUBLIC_BASE_URL = 'http://127.0.0.1:8080';
  /** Key of the AES-256-GCM encryption of PagerDuty tokens and webhook secrets at rest: base64 of exactly 32 random bytes. */
  @IsStrongSecret({ base64Bytes: 32 }) ENCRYPTION_KEY!: string;
  /** Bootstrap admin key: creates organization keys; acts on any organization with X-Organization-Id. */
  @IsStrongSecret() ADMIN_API_KEY!: string;
  /** Local mode (`npm start`, the test stack): also allows loopback base URLs, over http too. Never in production. */
  @Transform(envBoolean) @IsBoolean() ALLOW_LOCAL_BASE_URLS = false;
  /** Hosts a base_url may point at (https only); `*.example.com` matches subdomains. */
  @Transform(splitList) @IsString({ each: true }) @IsNotEmpty({ each: true }) BASE_URL_ALLOW_LIST: string[] = ['api.pagerduty.com', 'api.eu.pagerduty.com'];
  /**
   * Exact plain-http origins a base_url may be (a PagerDuty simulator on a private network,
   * e.g. docker compose's `http://pagerduty-sim:8090`); empty by default. An integration on
   * such an origin may also subscribe webhooks to an http public URL: only a simulator
   * delivers to it, PagerDuty itself requires https.
   */
  @Transform(splitList)
  @Matches(/^http:\/\/[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$/, { each: true, message: 'BASE_URL_HTTP_ALLOW_LIST must list exact origins such as http://pagerduty-sim:8090 (http, a host name, an optional port; no path or wildcard)' })
  BASE_URL_HTTP_ALLOW_LIST: string[] = [];
}

import { Transform } from 'class-transformer';
import { IsBoolean, IsNotEmpty, IsString, MinLength, Validate, ValidatorConstraint, ValidatorConstraintInterface } from 'class-validator';
import { KafkaEnv } from '@incident-sync/service-runtime';

/** ENCRYPTION_KEY must decode to exactly 32 bytes: AES-256 takes nothing else. */
@ValidatorConstraint({ name: 'aes256Key' })
class Aes256KeyConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && /^[A-Za-z0-9+/]+={0,2}$/.test(value.trim()) && Buffer.from(value.trim(), 'base64').length === 32;
  }
  defaultMessage(): string {
    return 'must be the base64 of exactly 32 random bytes (e.g. `openssl rand -base64 32`)';
  }
}

const toBoolean = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off', ''].includes(v)) return false;
  return value;
};

const splitList = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean) : value;

export class IntegrationConfigEnv extends KafkaEnv {
  override PORT = 8081;
  /** Key of the AES-256-GCM encryption of PagerDuty tokens and webhook secrets at rest. */
  @Validate(Aes256KeyConstraint) ENCRYPTION_KEY!: string;
  /** Bootstrap admin key: creates organization keys; acts on any organization with X-Organization-Id. */
  @IsString() @MinLength(16) ADMIN_API_KEY!: string;
  /** Local mode (the simulator): also allows http and loopback base URLs. Never in production. */
  @Transform(toBoolean) @IsBoolean() ALLOW_LOCAL_BASE_URLS = false;
  /** Hosts a base_url may point at (https only); `*.example.com` matches subdomains. */
  @Transform(splitList) @IsString({ each: true }) @IsNotEmpty({ each: true }) BASE_URL_ALLOW_LIST: string[] = ['api.pagerduty.com', 'api.eu.pagerduty.com'];
}

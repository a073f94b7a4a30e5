import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { LoggingEnv } from '@incident-sync/service-runtime';

// Reads the raw string: implicit conversion would already have turned "false" into true.
// Numbers carry @Type(() => Number): a field initialised without a type annotation has no
// `design:type` metadata, so implicit conversion alone would leave "8090" a string.
const toBool = ({ key, obj, value }: { key: string; obj: Record<string, unknown>; value: unknown }): unknown => {
  const raw = obj[key];
  return raw === 'true' ? true : raw === 'false' ? false : value;
};

/**
 * Variables of the PagerDuty simulator (apps/pagerduty-sim/README.md). It is not behind the
 * gateway, so it has no INTERNAL_TOKEN of its own (LOG_LEVEL and LOG_FORMAT as every service).
 */
export class PagerDutySimEnv extends LoggingEnv {
  @IsString() HOST = '127.0.0.1';
  @Type(() => Number) @IsInt() @Min(0) @Max(65535) PORT = 8090;
  /** A seed JSON file replacing seed/default-seed.json. */
  @IsOptional() @IsString() SIM_SEED_FILE?: string;
  /** Base of `self` links; default http://HOST:PORT (the simulator itself). */
  @IsOptional() @IsString() SIM_PUBLIC_URL?: string;
  @Type(() => Number) @IsInt() @Min(1) SIM_RATE_LIMIT_PER_MINUTE = 960;
  @Type(() => Number) @IsInt() @Min(1) SIM_CREATE_RATE_LIMIT_PER_MINUTE = 300;
  /** Length of a rate-limit window; tests shorten it. */
  @Type(() => Number) @IsInt() @Min(100) SIM_RATE_LIMIT_WINDOW_MS = 60000;
  @Type(() => Number) @IsInt() @Min(1) SIM_WEBHOOK_TIMEOUT_MS = 5000;
  /** Compressed retry schedule (PagerDuty retries for 48 h); one retry per entry. */
  @Matches(/^\s*(\d+\s*(,\s*\d+\s*)*)?$/, { message: 'SIM_WEBHOOK_RETRY_DELAYS_MS must be comma-separated milliseconds, e.g. "200,1000,5000"' })
  SIM_WEBHOOK_RETRY_DELAYS_MS = '200,1000,5000,15000,30000,60000,120000,300000';
  /** Extra tokens accepted as account-level keys, comma-separated; `*` accepts any token, `prefix*` any token with that prefix. */
  @IsOptional() @IsString() SIM_ALLOW_TOKENS?: string;
  /** Fault injection active from startup (the JSON of PUT /sim/faults). */
  @IsOptional() @IsString() SIM_FAULTS?: string;
  /** Reject edits (priority, urgency, reassign, escalate, title) of resolved incidents with 1001. */
  @Transform(toBool) @IsBoolean() SIM_REJECT_RESOLVED_EDITS = true;
}

export function retryDelays(value: string): number[] {
  return value.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
}

import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsString, Max, Min, ValidateBy } from 'class-validator';
import { LOG_FORMATS, LogFormat } from './logging/log-format';
import { IsStrongSecret } from './strong-secret';

const splitList = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : value;

/**
 * Reads the raw variable (`obj[key]`), not `value`: loadConfig's implicit conversion has
 * already turned the string "false" into `true` (Boolean("false")) by the time `value` arrives.
 */
export const envBoolean = ({ obj, key, value }: { obj: Record<string, unknown>; key: string; value: unknown }): unknown => {
  const raw = obj[key] ?? value;
  if (typeof raw !== 'string') return raw;
  const v = raw.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off', ''].includes(v)) return false;
  return raw;
};

/** How a process logs; read by runService before the service's own configuration. */
export class LoggingEnv {
  @IsIn(['fatal', 'error', 'warn', 'log', 'debug', 'verbose']) LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'log' | 'debug' | 'verbose' = 'log';
  /** `json`: one JSON object per line (production); `pretty`: one readable line (the dev profile). */
  @IsIn(LOG_FORMATS) LOG_FORMAT: LogFormat = 'json';
}

/** Variables every service reads. Apps extend this class with their own. */
export class BaseEnv extends LoggingEnv {
  @IsString() HOST: string = '127.0.0.1';
  @IsInt() @Min(1) @Max(65535) PORT!: number;
  /** Service-to-service credential; the only one `/internal/` routes accept. Never sent on public traffic. */
  @IsStrongSecret() INTERNAL_TOKEN!: string;
  /** What the gateway attaches to forwarded public `/api/v1` requests; `/internal/` routes refuse it. */
  @ValidateBy({
    name: 'differsFromInternalToken',
    validator: { validate: (value: unknown, args) => value !== (args?.object as BaseEnv).INTERNAL_TOKEN, defaultMessage: () => 'GATEWAY_TOKEN must differ from INTERNAL_TOKEN' },
  })
  @IsStrongSecret() GATEWAY_TOKEN!: string;
  /** Serve GET /metrics (Prometheus). Unauthenticated: only the gateway's port may be public (README "Metrics"). */
  @Transform(envBoolean) @IsBoolean() METRICS_ENABLED: boolean = true;
}

export class DatabaseEnv extends BaseEnv {
  @IsString() @IsNotEmpty() DATABASE_URL!: string;
}

export class KafkaEnv extends DatabaseEnv {
  @Transform(splitList) @IsString({ each: true }) @IsNotEmpty({ each: true }) KAFKA_BROKERS: string[] = ['127.0.0.1:9092'];
  /** A consumed record parked by a transient failure longer than this goes to the DLQ with its history (default 24 h). */
  @IsInt() @Min(1000) PARKED_MAX_AGE_MS: number = 86400000;
}

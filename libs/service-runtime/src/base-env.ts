import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsString, Max, Min, MinLength } from 'class-validator';

const splitList = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : value;

/** Variables every service reads. Apps extend this class with their own. */
export class BaseEnv {
  @IsString() HOST: string = '127.0.0.1';
  @IsInt() @Min(1) @Max(65535) PORT!: number;
  @IsIn(['fatal', 'error', 'warn', 'log', 'debug', 'verbose']) LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'log' | 'debug' | 'verbose' = 'log';
  /** Shared by the gateway and the services: proves a request came through the gateway. */
  @IsString() @MinLength(16) INTERNAL_TOKEN!: string;
}

export class DatabaseEnv extends BaseEnv {
  @IsString() @IsNotEmpty() DATABASE_URL!: string;
}

export class KafkaEnv extends DatabaseEnv {
  @Transform(splitList) @IsString({ each: true }) @IsNotEmpty({ each: true }) KAFKA_BROKERS: string[] = ['127.0.0.1:9092'];
  /** A consumed record parked by a transient failure longer than this goes to the DLQ with its history (default 24 h). */
  @IsInt() @Min(1000) PARKED_MAX_AGE_MS: number = 86400000;
}

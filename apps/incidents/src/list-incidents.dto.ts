import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { PLATFORM_STATUSES, PlatformStatus, SEVERITIES, Severity } from '@incident-sync/contracts';

const list = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : value);

/** GET /api/v1/incidents query: filters (status and severity take comma-separated lists) and keyset pagination. */
export class ListIncidentsQuery {
  @IsOptional() @Transform(list) @IsIn(PLATFORM_STATUSES, { each: true, message: `status must be one of ${PLATFORM_STATUSES.join(', ')}` }) status?: PlatformStatus[];
  @IsOptional() @Transform(list) @IsIn(SEVERITIES, { each: true, message: `severity must be one of ${SEVERITIES.join(', ')}` }) severity?: Severity[];
  @IsOptional() @IsString() @MaxLength(200) incident_type?: string;
  @IsOptional() @IsString() @MaxLength(320) assigned_to?: string;
  @IsOptional() @IsISO8601({ strict: true }, { message: 'updated_since must be an ISO 8601 timestamp' }) updated_since?: string;
  /** Only incidents created at or after this time (the outbound backfill's window). */
  @IsOptional() @IsISO8601({ strict: true }, { message: 'created_since must be an ISO 8601 timestamp' }) created_since?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
  @IsOptional() @IsString() @MaxLength(100) cursor?: string;
}

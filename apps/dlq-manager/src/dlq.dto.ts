import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { DeadLetterStatus } from './dead-letter.values';

export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 200;
/** Most dead letters one bulk replay call re-publishes (call again for more). */
export const MAX_BULK_REPLAY = 500;

/** GET /api/v1/dlq (and /integrations/:ref/dlq) query. status and topic take comma-separated lists. */
export class ListDeadLettersQuery {
  @IsOptional() @IsString() @MaxLength(200) status?: string;
  @IsOptional() @IsString() @MaxLength(2000) topic?: string;
  /** Integration id, or its slug (resolved in the caller's organization). */
  @IsOptional() @IsString() @MaxLength(200) integration?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_PAGE) limit?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(1_000_000) offset?: number;
}

/**
 * POST /api/v1/dlq/replay: `{"ids":[…]}`, or a filter `{"topic":…, "status":"pending",
 * "integration":…}` (status defaults to pending; at most 500 per call, oldest first).
 */
export class BulkReplayDto {
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_BULK_REPLAY) @IsUUID('all', { each: true, message: 'ids must be dead-letter ids (uuids)' }) ids?: string[];
  @IsOptional() @IsString() @MaxLength(2000) topic?: string;
  @IsOptional() @IsIn(['pending', 'replayed'], { message: 'status must be pending or replayed (discarded dead letters are not replayed)' }) status?: Exclude<DeadLetterStatus, 'discarded'>;
  @IsOptional() @IsString() @MaxLength(200) integration?: string;
  @IsOptional() @IsInt() @Min(1) @Max(MAX_BULK_REPLAY) limit?: number;
}

/** GET /internal/v1/dead-letters/count query. */
export class CountDeadLettersQuery {
  @IsOptional() @IsString() @MaxLength(200) integration_id?: string;
  @IsOptional() @IsString() @MaxLength(200) organization_id?: string;
}

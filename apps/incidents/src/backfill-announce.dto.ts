import { IsString, IsUUID, MaxLength, MinLength } from 'class-validator';

/** POST /internal/v1/incidents/:id/backfill-announce body (sync-engine's outbound backfill). */
export class BackfillAnnounceDto {
  /** The incident's organization (another organization's incident is a 404). */
  @IsString() @MinLength(1) @MaxLength(200) organization_id!: string;
  @IsString() @MinLength(1) @MaxLength(200) integration_id!: string;
  @IsUUID() job_id!: string;
  /** The event id to publish under: the caller derives it from (job, incident), so a retried call is deduplicated downstream. */
  @IsUUID() event_id!: string;
}

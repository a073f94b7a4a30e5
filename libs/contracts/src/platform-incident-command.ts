import { Type } from 'class-transformer';
import { IsIn, IsISO8601, IsObject, IsOptional, IsString, IsUUID, ValidateNested } from 'class-validator';
import { PLATFORM_STATUSES, PlatformStatus, SEVERITIES, Severity } from './platform-incident.values';

/** Field values the sync may write to a platform incident; absent = leave unchanged. */
export class PlatformIncidentFields {
  @IsOptional() @IsString() title?: string;
  @IsOptional() @IsString() description?: string | null;
  @IsOptional() @IsIn(SEVERITIES) severity?: Severity;
  @IsOptional() @IsIn(PLATFORM_STATUSES) status?: PlatformStatus;
  @IsOptional() @IsString() assigned_to?: string | null;
  @IsOptional() @IsString() escalation_policy?: string | null;
  @IsOptional() @IsString() escalation_policy_name?: string | null;
  @IsOptional() @IsString() incident_type?: string | null;
}

export class TimelineEntryInput {
  /** e.g. escalated, note, sync, assignment — shown to people in the incident timeline. */
  @IsString() kind!: string;
  @IsString() message!: string;
  @IsOptional() @IsString() author?: string;
}

export class ExternalReference {
  @IsIn(['pagerduty']) system!: 'pagerduty';
  @IsString() id!: string;
  @IsOptional() @IsString() number?: string;
  @IsOptional() @IsString() url?: string;
}

export const PLATFORM_COMMAND_TYPES = ['create', 'update', 'add_timeline_entry'] as const;
export type PlatformCommandType = (typeof PLATFORM_COMMAND_TYPES)[number];

/**
 * platform.incident.commands.v1 — the sync-engine asks the incidents service to change an
 * incident. `incidentId` is chosen by the sync-engine even for `create`, so a redelivered
 * create is a no-op (inbox + primary key), never a second incident.
 */
export class PlatformIncidentCommandV1 {
  @IsUUID() commandId!: string;
  @IsString() organizationId!: string;
  @IsString() integrationId!: string;
  @IsUUID() incidentId!: string;
  @IsIn(PLATFORM_COMMAND_TYPES) type!: PlatformCommandType;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => PlatformIncidentFields) fields?: PlatformIncidentFields;
  /**
   * The values the sync-engine believed the platform held when it decided. A field whose
   * current value differs was edited since: it is not overwritten (the edit wins the race
   * and reaches the sync-engine as a change of its own).
   */
  @IsOptional() @IsObject() @ValidateNested() @Type(() => PlatformIncidentFields) baseValues?: PlatformIncidentFields;
  @IsOptional() @ValidateNested() @Type(() => TimelineEntryInput) timelineEntry?: TimelineEntryInput;
  @IsOptional() @ValidateNested() @Type(() => ExternalReference) externalRef?: ExternalReference;
  /** The webhook event (or other message) that caused this command. */
  @IsOptional() @IsString() causationId?: string;
  @IsISO8601() occurredAt!: string;
}

import { Type } from 'class-transformer';
import {
  IsArray, IsIn, IsInt, IsISO8601, IsObject, IsOptional, IsString, IsUUID, Min, ValidateNested, Allow,
} from 'class-validator';
import { ORIGIN_TYPES, OriginType, PLATFORM_STATUSES, PlatformStatus, SEVERITIES, Severity } from './platform-incident.values';

export class ChangeOrigin {
  @IsIn(ORIGIN_TYPES) type!: OriginType;
  /** Set when type = integration: the integration whose sync made this change. */
  @IsOptional() @IsString() integrationId?: string;
  /** The platform command that caused it, when type = integration. */
  @IsOptional() @IsUUID() commandId?: string;
  /** Who acted: a user email, an API key name, or the integration's name. */
  @IsString() actor!: string;
}

export class FieldChange {
  @IsString() field!: string;
  @Allow() oldValue!: string | null;
  @Allow() newValue!: string | null;
}

/** The whole incident after the change, so consumers never read the incidents database. */
export class IncidentSnapshot {
  @IsUUID() id!: string;
  /** Human number, e.g. INC-42. */
  @IsString() number!: string;
  @IsString() organizationId!: string;
  @IsString() title!: string;
  @IsOptional() @IsString() description!: string | null;
  @IsIn(SEVERITIES) severity!: Severity;
  @IsIn(PLATFORM_STATUSES) status!: PlatformStatus;
  @IsOptional() @IsString() assignedTo!: string | null;
  @IsOptional() @IsString() escalationPolicyId!: string | null;
  @IsOptional() @IsString() escalationPolicyName!: string | null;
  @IsOptional() @IsString() incidentType!: string | null;
  @IsInt() @Min(1) version!: number;
  @IsISO8601() createdAt!: string;
  @IsISO8601() updatedAt!: string;
}

export class NoteSnapshot {
  @IsUUID() id!: string;
  @IsString() body!: string;
  @IsString() author!: string;
}

export const SKIP_REASONS = ['changed_since', 'illegal_transition', 'invalid_value'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/**
 * A field of a sync command that the incidents service did not write: someone changed it
 * after the sync read it (`changed_since`), the status transition is not allowed, or the
 * value is invalid. Reported so the sync-engine stops waiting for a write that never lands.
 */
export class SkippedField {
  @IsString() field!: string;
  @IsIn(SKIP_REASONS) reason!: SkipReason;
}

/**
 * Set on a `backfill` change: the one integration whose outbound backfill asked the incidents
 * service to announce the incident (issue #14). Every other integration ignores the event.
 */
export class BackfillTarget {
  @IsString() integrationId!: string;
  @IsUUID() jobId!: string;
}

export const PLATFORM_CHANGE_TYPES = ['created', 'updated', 'note_added', 'backfill'] as const;
export type PlatformChangeType = (typeof PLATFORM_CHANGE_TYPES)[number];

/**
 * platform.incident.changed.v1 — published by the incidents service through its outbox.
 * `backfill` changes nothing: it re-announces the incident's current state, in order with its
 * other changes, for one integration's outbound backfill (`backfill` names it).
 */
export class PlatformIncidentChangedV1 {
  @IsUUID() eventId!: string;
  @IsString() organizationId!: string;
  @IsUUID() incidentId!: string;
  @IsInt() @Min(1) version!: number;
  @IsIn(PLATFORM_CHANGE_TYPES) changeType!: PlatformChangeType;
  @IsArray() @ValidateNested({ each: true }) @Type(() => FieldChange) changes!: FieldChange[];
  @IsObject() @ValidateNested() @Type(() => IncidentSnapshot) incident!: IncidentSnapshot;
  @IsOptional() @ValidateNested() @Type(() => NoteSnapshot) note?: NoteSnapshot;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => BackfillTarget) backfill?: BackfillTarget;
  @IsObject() @ValidateNested() @Type(() => ChangeOrigin) origin!: ChangeOrigin;
  @IsISO8601() occurredAt!: string;
  /**
   * Set on an `updated` event caused by a sync command (origin integration) when some of its
   * fields were not written. Such an event is published even when nothing changed, so the
   * command's author always learns its outcome; `changes` then is empty.
   */
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => SkippedField) skipped?: SkippedField[];
}

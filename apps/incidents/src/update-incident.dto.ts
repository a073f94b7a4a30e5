import { Type } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import { PLATFORM_STATUSES, PlatformStatus, SEVERITIES, Severity } from '@incident-sync/contracts';
import { EscalationPolicyDto } from './escalation-policy.dto';
import { FIELD_BYTES, oneOf } from './validation-messages';
import { MaxJsonBytes } from '@incident-sync/service-runtime';

const present = (_: object, value: unknown): boolean => value !== undefined;

/**
 * PATCH /api/v1/incidents/:id — absent fields stay as they are; `null` clears a clearable
 * field (description, assigned_to, escalation_policy, incident_type). `version` (or the
 * If-Match header) makes the update conditional; `reopen: true` allows closed → open.
 */
export class UpdateIncidentDto {
  @ValidateIf(present) @IsString() @IsNotEmpty() @MaxLength(1024) @MaxJsonBytes(FIELD_BYTES.title) title?: string;
  @IsOptional() @IsString() @MaxLength(65536) @MaxJsonBytes(FIELD_BYTES.description) description?: string | null;
  @ValidateIf(present) @IsIn(SEVERITIES, oneOf(SEVERITIES)) severity?: Severity;
  @ValidateIf(present) @IsIn(PLATFORM_STATUSES, oneOf(PLATFORM_STATUSES)) status?: PlatformStatus;
  @IsOptional() @IsEmail({}, { message: 'assigned_to must be a user email' }) @MaxLength(320) @MaxJsonBytes(FIELD_BYTES.email) assigned_to?: string | null;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => EscalationPolicyDto) escalation_policy?: EscalationPolicyDto | null;
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) @MaxJsonBytes(FIELD_BYTES.name) incident_type?: string | null;
  @ValidateIf(present) @IsInt() @Min(1) version?: number;
  @ValidateIf(present) @IsBoolean() reopen?: boolean;
}

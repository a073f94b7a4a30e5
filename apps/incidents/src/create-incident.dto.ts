import { Type } from 'class-transformer';
import { IsEmail, IsIn, IsNotEmpty, IsObject, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { PLATFORM_STATUSES, PlatformStatus, SEVERITIES, Severity } from '@incident-sync/contracts';
import { EscalationPolicyDto } from './escalation-policy.dto';
import { FIELD_BYTES, oneOf } from './validation-messages';
import { MaxJsonBytes } from '@incident-sync/service-runtime';

/** POST /api/v1/incidents */
export class CreateIncidentDto {
  @IsString() @IsNotEmpty() @MaxLength(1024) @MaxJsonBytes(FIELD_BYTES.title) title!: string;
  @IsOptional() @IsString() @MaxLength(65536) @MaxJsonBytes(FIELD_BYTES.description) description?: string | null;
  @IsIn(SEVERITIES, oneOf(SEVERITIES)) severity!: Severity;
  @IsOptional() @IsIn(PLATFORM_STATUSES, oneOf(PLATFORM_STATUSES)) status?: PlatformStatus;
  @IsOptional() @IsEmail({}, { message: 'assigned_to must be a user email' }) @MaxLength(320) @MaxJsonBytes(FIELD_BYTES.email) assigned_to?: string | null;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => EscalationPolicyDto) escalation_policy?: EscalationPolicyDto | null;
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) @MaxJsonBytes(FIELD_BYTES.name) incident_type?: string | null;
}

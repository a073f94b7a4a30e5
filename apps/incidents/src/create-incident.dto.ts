import { Type } from 'class-transformer';
import { IsEmail, IsIn, IsNotEmpty, IsObject, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { PLATFORM_STATUSES, PlatformStatus, SEVERITIES, Severity } from '@incident-sync/contracts';
import { EscalationPolicyDto } from './escalation-policy.dto';
import { oneOf } from './validation-messages';

/** POST /api/v1/incidents */
export class CreateIncidentDto {
  @IsString() @IsNotEmpty() @MaxLength(1024) title!: string;
  @IsOptional() @IsString() @MaxLength(65536) description?: string | null;
  @IsIn(SEVERITIES, oneOf(SEVERITIES)) severity!: Severity;
  @IsOptional() @IsIn(PLATFORM_STATUSES, oneOf(PLATFORM_STATUSES)) status?: PlatformStatus;
  @IsOptional() @IsEmail({}, { message: 'assigned_to must be a user email' }) @MaxLength(320) assigned_to?: string | null;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => EscalationPolicyDto) escalation_policy?: EscalationPolicyDto | null;
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) incident_type?: string | null;
}

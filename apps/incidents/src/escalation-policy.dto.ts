import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { FIELD_BYTES } from './validation-messages';
import { MaxJsonBytes } from '@incident-sync/service-runtime';

/** `escalation_policy: {id, name?}` in request bodies (the id is the external system's, e.g. a PagerDuty policy id). */
export class EscalationPolicyDto {
  @IsString() @IsNotEmpty() @MaxLength(200) @MaxJsonBytes(FIELD_BYTES.name) id!: string;
  @IsOptional() @IsString() @MaxLength(500) @MaxJsonBytes(FIELD_BYTES.longName) name?: string | null;
}

import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

/** `escalation_policy: {id, name?}` in request bodies (the id is the external system's, e.g. a PagerDuty policy id). */
export class EscalationPolicyDto {
  @IsString() @IsNotEmpty() @MaxLength(200) id!: string;
  @IsOptional() @IsString() @MaxLength(500) name?: string | null;
}

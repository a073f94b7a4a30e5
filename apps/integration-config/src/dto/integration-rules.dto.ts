import { IsBoolean, IsEmail, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { FIELD_OWNERS, FieldOwner } from '../integration.values';
import { MaxJsonBytes } from '@incident-sync/service-runtime';

export class SetFieldOwnershipDto {
  @IsIn(FIELD_OWNERS) owner!: FieldOwner;
  @IsOptional() @Max(1000000) @Min(-1000000) @IsInt() priority?: number;
  /** true: a non-owner's edit is set back to the owner's value; false (default): ownership only decides between concurrent edits. */
  @IsOptional() @IsBoolean() authoritative?: boolean;
}

export class AddServiceMappingDto {
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'pd_service_id must be a PagerDuty id such as P123ABC' }) @MaxLength(100) @IsNotEmpty() @IsString() pd_service_id!: string;
  @MaxJsonBytes(1024) @MaxLength(200) @IsNotEmpty() @IsString() incident_type!: string;
}

export class AddUserMappingDto {
  @MaxJsonBytes(1024) @MaxLength(320) @IsEmail() email!: string;
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'pd_user_id must be a PagerDuty id such as PXPGF42' }) @MaxLength(100) @IsNotEmpty() @IsString() pd_user_id!: string;
}

export class AddWebhookSecretDto {
  @MaxJsonBytes(2048) @MaxLength(500) @IsNotEmpty() @IsString() secret!: string;
}

export class CreateWebhookSubscriptionDto {
  /** Our public base URL as PagerDuty reaches it; deliveries go to <public_url>/api/v1/webhooks/<id>. Default: PUBLIC_BASE_URL. */
  @IsOptional() @MaxJsonBytes(4096) @MaxLength(2000) @IsNotEmpty() @IsString() public_url?: string;
  @IsOptional() @IsIn(['account_reference', 'service_reference', 'team_reference']) filter_type?: 'account_reference' | 'service_reference' | 'team_reference';
  @IsOptional() @MaxLength(100) @IsNotEmpty() @IsString() filter_id?: string;
}

import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { MaxJsonBytes } from '@incident-sync/service-runtime';

export class CreateApiKeyDto {
  @MaxJsonBytes(1024) @MaxLength(200) @IsNotEmpty() @IsString() organization_id!: string;
  @MaxJsonBytes(1024) @MaxLength(200) @IsNotEmpty() @IsString() name!: string;
}

export class ListApiKeysQuery {
  @IsOptional() @MaxLength(200) @IsString() organization_id?: string;
}

export class ResolveApiKeyDto {
  @MaxLength(500) @IsNotEmpty() @IsString() api_key!: string;
}

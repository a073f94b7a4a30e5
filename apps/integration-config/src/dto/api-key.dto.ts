import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

export class CreateApiKeyDto {
  @MaxLength(200) @IsNotEmpty() @IsString() organization_id!: string;
  @MaxLength(200) @IsNotEmpty() @IsString() name!: string;
}

export class ListApiKeysQuery {
  @IsOptional() @IsString() organization_id?: string;
}

export class ResolveApiKeyDto {
  @MaxLength(500) @IsNotEmpty() @IsString() api_key!: string;
}

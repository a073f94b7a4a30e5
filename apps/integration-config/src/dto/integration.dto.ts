import { Type } from 'class-transformer';
import {
  IsBoolean, IsEmail, IsIn, IsInt, IsNotEmpty, IsNumber, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min,
  ValidateNested, ValidationArguments, ValidatorConstraint, ValidatorConstraintInterface, Validate,
} from 'class-validator';
import { MaxJsonBytes } from '@incident-sync/service-runtime';
import { SLUG_PATTERN } from '@incident-sync/integration-config-client';
import {
  CONFLICT_STRATEGIES, ConflictStrategy, INTEGRATION_TYPES, IntegrationType, SEVERITIES, Severity, SYNC_DIRECTIONS, SyncDirection, UNMAPPED_SERVICES, UnmappedServices,
} from '../integration.values';

const SLUG_MESSAGE = 'slug must be 1-64 lower-case letters, digits or dashes, starting and ending with a letter or digit';

/** `{ "P1": "SEV-1", … }`: PagerDuty priority (name or id) → platform severity. */
@ValidatorConstraint({ name: 'priorityMapping' })
export class PriorityMappingConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    const entries = Object.entries(value as Record<string, unknown>);
    return entries.length <= 50 && entries.every(([k, v]) => k.trim().length > 0 && k.length <= 100 && (SEVERITIES as readonly unknown[]).includes(v));
  }
  defaultMessage(args: ValidationArguments): string {
    return `${args.property} must map PagerDuty priorities to one of ${SEVERITIES.join(', ')}, e.g. {"P1":"SEV-1"}`;
  }
}

export class CredentialsDto {
  @MaxJsonBytes(2048) @MaxLength(500) @IsString() @IsNotEmpty({ message: 'credentials.token is required (the PagerDuty REST API token)' }) token!: string;
}

/** Settings that both create and update accept. */
class IntegrationSettingsDto {
  @IsOptional() @IsIn(SYNC_DIRECTIONS) sync_direction?: SyncDirection;
  @IsOptional() @IsBoolean() enabled?: boolean;
  @IsOptional() @IsIn(CONFLICT_STRATEGIES) conflict_strategy?: ConflictStrategy;
  @IsOptional() @IsBoolean() sync_escalations?: boolean;
  @IsOptional() @Max(100000) @Min(1) @IsInt() rate_limit?: number;
  @IsOptional() @Max(10) @Min(1) @IsNumber({ allowNaN: false, allowInfinity: false }) backoff_multiplier?: number;
  /** Drift reconciliation every N seconds (issue #14); small values are for tests. */
  @IsOptional() @Max(86400) @Min(1) @IsInt() reconcile_interval_seconds?: number;
  /** Share of rate_limit reconciliation reads may use, in percent. */
  @IsOptional() @Max(50) @Min(1) @IsInt() reconcile_budget_percent?: number;
  /** null clears it. */
  @IsOptional() @MaxJsonBytes(1024) @MaxLength(320) @IsEmail() from_email?: string | null;
  @IsOptional() @MaxJsonBytes(512) @MaxLength(100) @IsNotEmpty() @IsString() default_service_id?: string | null;
  @IsOptional() @Validate(PriorityMappingConstraint) priority_mapping?: Record<string, Severity>;
  /** An incident.triggered from a PagerDuty service with no service mapping: create (default) or ignore. */
  @IsOptional() @IsIn(UNMAPPED_SERVICES, { message: `unmapped_services must be one of: ${UNMAPPED_SERVICES.join(', ')}` }) unmapped_services?: UnmappedServices;
  /** Incident type of platform incidents created from unmapped services; null clears it (type unset). */
  @IsOptional() @MaxJsonBytes(1024) @MaxLength(200) @Matches(/\S/, { message: 'default_incident_type must not be blank (null clears it)' }) @IsString() default_incident_type?: string | null;
}

/** POST /api/v1/integrations — the documented curl body is accepted as written. */
export class CreateIntegrationDto extends IntegrationSettingsDto {
  /** Optional with an organization key (must match it); names the organization with the admin key. */
  @IsOptional() @MaxJsonBytes(1024) @MaxLength(200) @IsNotEmpty() @IsString() organization_id?: string;
  @IsIn(INTEGRATION_TYPES, { message: `integration_type must be one of: ${INTEGRATION_TYPES.join(', ')}` }) integration_type!: IntegrationType;
  @MaxJsonBytes(1024) @MaxLength(200) @IsNotEmpty() @IsString() name!: string;
  /** Defaults to the name in kebab-case. */
  @IsOptional() @Matches(SLUG_PATTERN, { message: SLUG_MESSAGE }) slug?: string;
  @MaxJsonBytes(4096) @MaxLength(2000) @IsNotEmpty() @IsString() base_url!: string;
  /** Required; checked in the service so a missing object is reported as credentials.token. */
  @IsOptional() @Type(() => CredentialsDto) @ValidateNested() @IsObject() credentials?: CredentialsDto;
  @IsOptional() @MaxJsonBytes(2048) @MaxLength(500) @IsNotEmpty() @IsString() webhook_secret?: string;
}

/** PATCH /api/v1/integrations/:id — only what is given changes. Type and organization are fixed. */
export class UpdateIntegrationDto extends IntegrationSettingsDto {
  @IsOptional() @MaxJsonBytes(1024) @MaxLength(200) @IsNotEmpty() @IsString() name?: string;
  @IsOptional() @Matches(SLUG_PATTERN, { message: SLUG_MESSAGE }) slug?: string;
  @IsOptional() @MaxJsonBytes(4096) @MaxLength(2000) @IsNotEmpty() @IsString() base_url?: string;
  @IsOptional() @Type(() => CredentialsDto) @ValidateNested() @IsObject() credentials?: CredentialsDto;
}

export class ListIntegrationsQuery {
  @IsOptional() @IsIn(INTEGRATION_TYPES, { message: `integration_type must be one of: ${INTEGRATION_TYPES.join(', ')}` }) integration_type?: IntegrationType;
  /** Admin key only (an organization key always lists its own). */
  @IsOptional() @MaxLength(200) @IsString() organization_id?: string;
}

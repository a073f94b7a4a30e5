import { Type } from 'class-transformer';
import { IsArray, IsIn, IsISO8601, IsObject, IsOptional, IsString, IsUUID, ValidateNested } from 'class-validator';

export class PagerDutyCreateFields {
  @IsString() title!: string;
  @IsString() serviceId!: string;
  /** Sent as incident_key: the platform incident id, so a retried create never duplicates. */
  @IsString() incidentKey!: string;
  @IsOptional() @IsIn(['high', 'low']) urgency?: 'high' | 'low';
  @IsOptional() @IsString() priorityId?: string;
  @IsOptional() @IsString() details?: string;
  @IsOptional() @IsString() assigneeUserId?: string;
  @IsOptional() @IsString() escalationPolicyId?: string;
}

export class PagerDutyUpdateFields {
  @IsOptional() @IsIn(['triggered', 'acknowledged', 'resolved']) status?: 'triggered' | 'acknowledged' | 'resolved';
  @IsOptional() @IsString() title?: string;
  @IsOptional() @IsIn(['high', 'low']) urgency?: 'high' | 'low';
  @IsOptional() @IsString() priorityId?: string | null;
  @IsOptional() @IsString() assigneeUserId?: string;
  @IsOptional() @IsString() escalationPolicyId?: string;
}

export class PagerDutyNote {
  @IsString() content!: string;
}

export const PAGERDUTY_ACTIONS = ['create_incident', 'update_incident', 'add_note'] as const;
export type PagerDutyAction = (typeof PAGERDUTY_ACTIONS)[number];

/**
 * pagerduty.commands.v1 — the sync-engine asks the dispatcher to write to PagerDuty.
 * Keyed by integration id: one dispatcher instance owns an integration's token bucket.
 */
export class PagerDutyCommandV1 {
  @IsUUID() commandId!: string;
  @IsString() organizationId!: string;
  @IsString() integrationId!: string;
  @IsUUID() platformIncidentId!: string;
  @IsOptional() @IsString() pdIncidentId!: string | null;
  @IsIn(PAGERDUTY_ACTIONS) action!: PagerDutyAction;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => PagerDutyCreateFields) create?: PagerDutyCreateFields;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => PagerDutyUpdateFields) update?: PagerDutyUpdateFields;
  @IsOptional() @ValidateNested() @Type(() => PagerDutyNote) note?: PagerDutyNote;
  @IsOptional() @IsString() causationId?: string;
  @IsISO8601() issuedAt!: string;
}

export class PagerDutyErrorInfo {
  @IsString() code!: string;
  @IsString() message!: string;
  @IsOptional() httpStatus?: number;
  /** PagerDuty's own error body, when it sent one (never contains our token). */
  @IsOptional() @IsObject() body?: Record<string, unknown>;
}

export class PagerDutyIncidentSummary {
  @IsString() id!: string;
  @IsOptional() number?: number;
  @IsOptional() @IsString() htmlUrl?: string;
  @IsOptional() @IsString() status?: string;
  @IsOptional() @IsString() urgency?: string;
  @IsOptional() @IsString() updatedAt?: string;
}

export const PAGERDUTY_UPDATE_KEYS = ['status', 'title', 'urgency', 'priorityId', 'assigneeUserId', 'escalationPolicyId'] as const;
export type PagerDutyUpdateKey = (typeof PAGERDUTY_UPDATE_KEYS)[number];

/**
 * What one command of a request carried. The dispatcher may coalesce several updates of one
 * incident into one request (later values win): `written` holds, for each field this command
 * set, the value the request actually sent and PagerDuty confirmed; `superseded` names the
 * fields this command set whose own value was NOT sent, because a later command in the same
 * request set another value.
 */
export class PagerDutyCommandWritten {
  @IsUUID() commandId!: string;
  @IsObject() @ValidateNested() @Type(() => PagerDutyUpdateFields) written!: PagerDutyUpdateFields;
  @IsArray() @IsIn(PAGERDUTY_UPDATE_KEYS, { each: true }) superseded!: PagerDutyUpdateKey[];
  /** Fields whose own value PagerDuty refused to set (see PagerDutyRefusal); absent when none. */
  @IsOptional() @IsArray() @IsIn(PAGERDUTY_UPDATE_KEYS, { each: true }) refused?: PagerDutyUpdateKey[];
}

/**
 * Part of a request PagerDuty refused while the rest was stored: a transition its REST API does
 * not offer (an acknowledged incident back to `triggered`: 400 1003). Sending it again cannot
 * succeed, so it is reported, not retried or dead-lettered.
 */
export class PagerDutyRefusal {
  @IsArray() @IsIn(PAGERDUTY_UPDATE_KEYS, { each: true }) keys!: PagerDutyUpdateKey[];
  @IsString() reason!: string;
}

/** pagerduty.command.results.v1 — what the dispatcher wrote (or why it could not). */
export class PagerDutyCommandResultV1 {
  @IsUUID() resultId!: string;
  /** Several when coalescing merged commands into one request. */
  @IsArray() @IsUUID('all', { each: true }) commandIds!: string[];
  @IsString() organizationId!: string;
  @IsString() integrationId!: string;
  @IsUUID() platformIncidentId!: string;
  @IsOptional() @IsString() pdIncidentId!: string | null;
  @IsIn(PAGERDUTY_ACTIONS) action!: PagerDutyAction;
  @IsIn(['succeeded', 'failed']) outcome!: 'succeeded' | 'failed';
  /** Everything the request sent (the merged fields of every command it carried). */
  @IsOptional() @IsObject() @ValidateNested() @Type(() => PagerDutyUpdateFields) written?: PagerDutyUpdateFields;
  /** Succeeded updates: what the request carried for each of its commands, in order. */
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => PagerDutyCommandWritten) perCommand?: PagerDutyCommandWritten[];
  @IsOptional() @ValidateNested() @Type(() => PagerDutyRefusal) refused?: PagerDutyRefusal;
  @IsOptional() @ValidateNested() @Type(() => PagerDutyIncidentSummary) incident?: PagerDutyIncidentSummary;
  @IsOptional() @ValidateNested() @Type(() => PagerDutyErrorInfo) error?: PagerDutyErrorInfo;
  @IsISO8601() completedAt!: string;
}

import { IsISO8601, IsObject, IsOptional, IsString, IsUUID } from 'class-validator';

/**
 * pagerduty.webhook.received.v1 — one verified, de-duplicated PagerDuty v3 delivery.
 * Keyed by the PagerDuty incident id so one incident's events keep their order.
 */
export class PagerDutyWebhookReceivedV1 {
  @IsUUID() receiptId!: string;
  @IsString() integrationId!: string;
  @IsString() organizationId!: string;
  /** X-Webhook-Id: stable across PagerDuty's retries of one delivery; null when absent. */
  @IsOptional() @IsString() webhookId!: string | null;
  @IsString() eventId!: string;
  @IsString() eventType!: string;
  @IsString() resourceType!: string;
  /** data.id for incident data, data.incident.id for notes and other sub-resources. */
  @IsOptional() @IsString() pdIncidentId!: string | null;
  @IsISO8601() occurredAt!: string;
  @IsISO8601() receivedAt!: string;
  /** The `event` object exactly as PagerDuty sent it. */
  @IsObject() event!: Record<string, unknown>;
}

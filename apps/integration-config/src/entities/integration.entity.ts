import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { ConflictStrategy, IntegrationType, Severity, SyncDirection, UnmappedServices } from '../integration.values';

/** One connection to an external system, owned by one organization. */
@Entity({ name: 'integration' })
@Index('UQ_integration_org_slug', ['organizationId', 'slug'], { unique: true })
@Check('CK_integration_rate_limit', `"rate_limit" > 0`)
@Check('CK_integration_backoff', `"backoff_multiplier" >= 1`)
@Check('CK_integration_unmapped_services', `"unmapped_services" IN ('create', 'ignore')`)
@Check('CK_integration_reconcile_interval', `"reconcile_interval_seconds" >= 1`)
@Check('CK_integration_reconcile_budget', `"reconcile_budget_percent" BETWEEN 1 AND 50`)
export class IntegrationEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'organization_id', type: 'varchar', length: 200 }) organizationId!: string;
  @Column({ type: 'varchar', length: 100 }) slug!: string;
  @Column({ type: 'varchar', length: 200 }) name!: string;
  @Column({ name: 'integration_type', type: 'varchar', length: 30 }) integrationType!: IntegrationType;
  @Column({ name: 'base_url', type: 'text' }) baseUrl!: string;
  /** AES-256-GCM (SecretCipher), context `integration:<id>:token`. Never plaintext. */
  @Column({ name: 'token_ciphertext', type: 'text' }) tokenCiphertext!: string;
  @Column({ name: 'token_last4', type: 'varchar', length: 4 }) tokenLast4!: string;
  @Column({ name: 'sync_direction', type: 'varchar', length: 20 }) syncDirection!: SyncDirection;
  @Column({ type: 'boolean' }) enabled!: boolean;
  @Column({ name: 'conflict_strategy', type: 'varchar', length: 30 }) conflictStrategy!: ConflictStrategy;
  @Column({ name: 'sync_escalations', type: 'boolean' }) syncEscalations!: boolean;
  @Column({ name: 'rate_limit', type: 'integer' }) rateLimit!: number;
  @Column({ name: 'backoff_multiplier', type: 'double precision' }) backoffMultiplier!: number;
  /** Drift reconciliation (issue #14): every this many seconds, at most this share of `rate_limit`. */
  @Column({ name: 'reconcile_interval_seconds', type: 'integer', default: 300 }) reconcileIntervalSeconds!: number;
  @Column({ name: 'reconcile_budget_percent', type: 'integer', default: 10 }) reconcileBudgetPercent!: number;
  @Column({ name: 'from_email', type: 'varchar', length: 320, nullable: true }) fromEmail!: string | null;
  /** PagerDuty user id of from_email, learned by the connection test (echo detection). */
  @Column({ name: 'bot_user_id', type: 'varchar', length: 100, nullable: true }) botUserId!: string | null;
  @Column({ name: 'default_service_id', type: 'varchar', length: 100, nullable: true }) defaultServiceId!: string | null;
  /** An incident.triggered from a PagerDuty service with no service mapping: create a platform incident, or ignore it. */
  @Column({ name: 'unmapped_services', type: 'varchar', length: 10, default: 'create' }) unmappedServices!: UnmappedServices;
  /** The incident type of a platform incident created from an unmapped service (null: unset). */
  @Column({ name: 'default_incident_type', type: 'varchar', length: 200, nullable: true }) defaultIncidentType!: string | null;
  @Column({ name: 'priority_mapping', type: 'jsonb' }) priorityMapping!: Record<string, Severity>;
  @Column({ name: 'webhook_subscription_id', type: 'varchar', length: 100, nullable: true }) webhookSubscriptionId!: string | null;
  /** Bumped by every change to the integration or its rules; sent in integration.config.changed. */
  @Column({ type: 'integer' }) version!: number;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

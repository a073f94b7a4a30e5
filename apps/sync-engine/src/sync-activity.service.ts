import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { IntegrationLookup } from '@incident-sync/integration-config-client';
import { DecisionView, decisionView } from './sync-query.service';
import { SyncDecisionEntity } from './sync-decision.entity';

/** One of our PagerDuty writes the dispatcher has reported on: issued → settled is the outbound latency. */
export interface SettledWriteView {
  command_id: string;
  platform_incident_id: string;
  action: string;
  issued_at: string;
  settled_at: string;
  outcome: string | null;
  latency_ms: number;
}

/** GET /api/v1/integrations/:ref/activity: what the status page shows of an integration's recent work. */
export interface SyncActivityView {
  integration_id: string;
  /** The newest decisions first, across the integration's incidents. */
  decisions: DecisionView[];
  /** The newest settled writes first. */
  settled_writes: SettledWriteView[];
}

export const ACTIVITY_DEFAULT_LIMIT = 50;

/** Recent decisions and settled writes of one integration of the caller's organization. */
@Injectable()
export class SyncActivityService {
  constructor(private readonly dataSource: DataSource, private readonly integrations: IntegrationLookup) {}

  async activity(organizationId: string, ref: string, limit = ACTIVITY_DEFAULT_LIMIT): Promise<SyncActivityView> {
    // inOrganization answers 404 for another organization's integration: nothing below runs for it.
    const config = await this.integrations.inOrganization(organizationId, ref);
    const [decisions, writes] = await Promise.all([
      this.dataSource.getRepository(SyncDecisionEntity).createQueryBuilder('d')
        .where('d.integration_id = :id AND d.organization_id = :org', { id: config.id, org: organizationId })
        .orderBy('d.seq', 'DESC').limit(limit).getMany(),
      this.dataSource.query<{ command_id: string; platform_incident_id: string; action: string; issued_at: Date; settled_at: Date; outcome: string | null }[]>(
        `SELECT "command_id", "platform_incident_id", "action", "issued_at", "settled_at", "outcome" FROM "outbound_write"
          WHERE "integration_id" = $1 AND "organization_id" = $2 AND "settled_at" IS NOT NULL ORDER BY "settled_at" DESC LIMIT $3`,
        [config.id, organizationId, limit],
      ),
    ]);
    return {
      integration_id: config.id,
      decisions: decisions.map(decisionView),
      settled_writes: writes.map((w) => ({
        command_id: w.command_id,
        platform_incident_id: w.platform_incident_id,
        action: w.action,
        issued_at: new Date(w.issued_at).toISOString(),
        settled_at: new Date(w.settled_at).toISOString(),
        outcome: w.outcome,
        latency_ms: Math.max(0, new Date(w.settled_at).getTime() - new Date(w.issued_at).getTime()),
      })),
    };
  }
}

import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { IntegrationLookup } from '@incident-sync/integration-config-client';
import { effectiveFieldOwnership, type IntegrationSettings } from '@incident-sync/sync-domain';
import { toIntegrationSettings } from './to-domain-settings';

/**
 * When several integrations are linked to one platform incident, a field's owner is decided
 * among all of them (ARCHITECTURE §3: the higher priority wins): the sync-domain wants the
 * resulting ownership in the settings of the integration being decided (sync-domain README §7.3).
 */
@Injectable()
export class PeerOwnership {
  constructor(private readonly integrations: IntegrationLookup) {}

  async settingsWithPeers(em: EntityManager, settings: IntegrationSettings, platformIncidentId: string, known: ReadonlyMap<string, IntegrationSettings> = new Map()): Promise<IntegrationSettings> {
    const rows: { integration_id: string }[] = await em.query(
      `SELECT DISTINCT "integration_id" FROM "incident_link" WHERE "platform_incident_id" = $1 AND "integration_id" <> $2`,
      [platformIncidentId, settings.integrationId],
    );
    if (rows.length === 0) return settings;
    const peers: IntegrationSettings[] = [];
    for (const row of rows) {
      const cached = known.get(row.integration_id);
      if (cached !== undefined) {
        peers.push(cached);
        continue;
      }
      const config = await this.integrations.byId(row.integration_id);
      if (config !== null) peers.push(toIntegrationSettings(config));
    }
    return peers.length === 0 ? settings : { ...settings, fieldOwnership: effectiveFieldOwnership(settings, peers) };
  }
}

import { Injectable } from '@nestjs/common';
import type { IntegrationRuntimeConfig } from '@incident-sync/integration-config-client';
import type { PriorityResolver } from './pagerduty-command-builder';
import { pagerDutyClientFor } from './pagerduty-clients';

/**
 * The priority mapping is keyed by names ("P1") or ids; the dispatcher sends
 * `{id, type: priority_reference}`, so names are turned into ids from GET /priorities
 * (cached ten minutes per integration). An account without priorities (402) keeps keys as-is.
 */
@Injectable()
export class PriorityDirectory {
  private readonly cache = new Map<string, { byName: Map<string, string>; expires: number }>();

  invalidate(integrationId: string): void {
    this.cache.delete(integrationId);
  }

  async resolverFor(config: IntegrationRuntimeConfig): Promise<PriorityResolver> {
    let hit = this.cache.get(config.id);
    if (!hit || hit.expires < Date.now()) {
      const byName = new Map<string, string>();
      try {
        const { data } = await pagerDutyClientFor(config).listPriorities();
        for (const p of data.priorities) {
          byName.set(p.name, p.id);
          byName.set(p.id, p.id);
        }
      } catch {
        // No priorities ability, or PagerDuty unreachable: keys go out as given and a
        // rejected write lands in the DLQ with PagerDuty's reason.
      }
      hit = { byName, expires: Date.now() + (byName.size > 0 ? 600000 : 30000) };
      this.cache.set(config.id, hit);
    }
    const byName = hit.byName;
    return (key) => byName.get(key) ?? key;
  }
}

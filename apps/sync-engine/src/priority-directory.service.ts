import { Injectable } from '@nestjs/common';
import type { IntegrationRuntimeConfig } from '@incident-sync/integration-config-client';
import { PagerDutyApiError } from '@incident-sync/pagerduty';
import { LookupCache } from './lookup-cache';
import type { PriorityResolver } from './pagerduty-command-builder';
import { PagerDutyReads } from './pagerduty-reads.service';

const FOUND_TTL_MS = 600000;
/** An account without priorities (402/403) is asked again after this long. */
const NONE_TTL_MS = 600000;

/**
 * The priority mapping is keyed by names ("P1") or ids; the dispatcher sends
 * `{id, type: priority_reference}`, so names are turned into ids from GET /priorities
 * (cached ten minutes per integration, bounded). An account without priorities (a 4xx) keeps
 * keys as-is and that answer is cached too. A transient failure (429, 5xx, unreachable)
 * throws, unless an older answer is at hand: the consumer parks the message rather than
 * sending names PagerDuty would reject.
 */
@Injectable()
export class PriorityDirectory {
  private readonly cache = new LookupCache<Map<string, string>>(1000);
  /** The last answer per integration, used while PagerDuty cannot be asked. */
  private readonly stale = new LookupCache<Map<string, string>>(1000);

  constructor(private readonly reads: PagerDutyReads) {}

  invalidate(integrationId: string): void {
    this.cache.delete(integrationId);
    this.stale.delete(integrationId);
  }

  async resolverFor(config: IntegrationRuntimeConfig): Promise<PriorityResolver> {
    const byName = await this.cache.getOrLoad(config.id, () => this.load(config), (m) => (m.size > 0 ? FOUND_TTL_MS : NONE_TTL_MS));
    return (key) => byName.get(key) ?? key;
  }

  private async load(config: IntegrationRuntimeConfig): Promise<Map<string, string>> {
    try {
      const { data } = await this.reads.run(config, 'GET /priorities', (client) => client.listPriorities());
      const byName = new Map<string, string>();
      for (const p of data.priorities) {
        byName.set(p.name, p.id);
        byName.set(p.id, p.id);
      }
      this.stale.set(config.id, byName, 24 * 3600000);
      return byName;
    } catch (error) {
      // No priorities ability (402) or another answer that will not change: keys go out as given.
      if (error instanceof PagerDutyApiError && !error.retryable) return new Map();
      const older = this.stale.get(config.id);
      if (older) return older.value;
      throw error;
    }
  }
}

import { Injectable } from '@nestjs/common';
import type { IntegrationRuntimeConfig } from '@incident-sync/integration-config-client';
import { PagerDutyApiError } from '@incident-sync/pagerduty';
import { LookupCache } from './lookup-cache';
import { PagerDutyReads } from './pagerduty-reads.service';
import { AccountPriorities, accountPriorities, NO_PRIORITIES, priorityResolver, PriorityResolver } from './priority-resolution';

const FOUND_TTL_MS = 600000;
/** An account without priorities is asked again after this long (it may enable them). */
const NONE_TTL_MS = 600000;
/**
 * The ability an account needs for priorities. Inference: neither FACTS nor the OpenAPI
 * document names it; the simulator's seed uses it. An account whose ability list lacks it is
 * not asked for GET /priorities; the list itself (402 or empty: none) stays the authority.
 */
export const PRIORITIES_ABILITY = 'priorities';

/**
 * Whether an integration's account has priorities, and which id a mapping key ("P1" or an id)
 * means there (priority-resolution.ts): GET /abilities, then GET /priorities, once per
 * integration, the answer cached ten minutes (bounded) whether it found priorities or not.
 * An account without them (ability missing, 402/another 4xx, or an empty list) gets writes with
 * no priority. A transient failure (429, 5xx, unreachable) throws, unless an older answer is at
 * hand: the consumer parks the message rather than guessing.
 */
@Injectable()
export class PriorityDirectory {
  private readonly cache = new LookupCache<AccountPriorities>(1000);
  /** The last answer per integration, used while PagerDuty cannot be asked. */
  private readonly stale = new LookupCache<AccountPriorities>(1000);

  constructor(private readonly reads: PagerDutyReads) {}

  invalidate(integrationId: string): void {
    this.cache.delete(integrationId);
    this.stale.delete(integrationId);
  }

  async resolverFor(config: IntegrationRuntimeConfig): Promise<PriorityResolver> {
    const account = await this.cache.getOrLoad(config.id, () => this.load(config), (a) => (a.available ? FOUND_TTL_MS : NONE_TTL_MS));
    return priorityResolver(account);
  }

  private async load(config: IntegrationRuntimeConfig): Promise<AccountPriorities> {
    try {
      const account = await this.ask(config);
      this.stale.set(config.id, account, 24 * 3600000);
      return account;
    } catch (error) {
      const older = this.stale.get(config.id);
      if (older) return older.value;
      throw error;
    }
  }

  private async ask(config: IntegrationRuntimeConfig): Promise<AccountPriorities> {
    const abilities = await this.answer(() => this.reads.run(config, 'GET /abilities', (client) => client.listAbilities()));
    if (abilities && !abilities.data.abilities.includes(PRIORITIES_ABILITY)) return NO_PRIORITIES;
    const listed = await this.answer(() => this.reads.run(config, 'GET /priorities', (client) => client.listPriorities()));
    return listed ? accountPriorities(listed.data.priorities) : NO_PRIORITIES;
  }

  /** null for an answer that will not change (402 no ability, 403 no scope, 404): transient failures throw. */
  private async answer<T>(call: () => Promise<T>): Promise<T | null> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof PagerDutyApiError && !error.retryable) return null;
      throw error;
    }
  }
}

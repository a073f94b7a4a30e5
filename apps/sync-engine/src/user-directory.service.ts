import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { IntegrationRuntimeConfig } from '@incident-sync/integration-config-client';
import { PagerDutyApiError } from '@incident-sync/pagerduty';
import type { UserPair } from './to-domain-settings';
import { LookupCache } from './lookup-cache';
import { PagerDutyReads } from './pagerduty-reads.service';
import { PdUserEntity } from './pd-user.entity';

export const PD_USER_CACHE_TTL_MS = Symbol('PD_USER_CACHE_TTL_MS');

/** What a look-up found: the pair, or the key that matched nobody (reported, never guessed). */
export interface UserLookup {
  pairs: UserPair[];
  unknown: { side: 'platform' | 'external'; key: string }[];
  names: Record<string, string>;
}

/** A user PagerDuty does not know (404, or no user with that email) is asked for again after this long. */
export const PD_USER_MISS_TTL_MS = 5 * 60000;
/** Entries kept in memory per service instance (users and emails together). */
const MEMORY_ENTRIES = 10000;

type FoundUser = { email: string; name: string | null } | null;

/**
 * PagerDuty user ↔ platform email (issue #8: "PagerDuty user → email via GET /users,
 * cached"). Configured user mappings are overrides; everyone else matches by email. Found
 * users are cached in `pd_user` (TTL `PD_USER_CACHE_TTL_MS`) with a bounded memory cache in
 * front; a user PagerDuty does not know is cached as a miss for `PD_USER_MISS_TTL_MS`, so a
 * burst of webhooks naming them asks PagerDuty once, and adding them in PagerDuty fixes the
 * mapping a few minutes later without an operator action. Every request draws from the
 * integration's shared budget (PagerDutyReads); transport failures and 429 throw (the
 * consumer parks the message), a 404 means "unknown".
 */
@Injectable()
export class UserDirectory {
  private readonly users = new LookupCache<FoundUser>(MEMORY_ENTRIES);
  private readonly emails = new LookupCache<string | null>(MEMORY_ENTRIES);

  constructor(
    private readonly dataSource: DataSource,
    private readonly reads: PagerDutyReads,
    @Inject(PD_USER_CACHE_TTL_MS) private readonly ttlMs: number,
  ) {}

  /** Forget an integration's look-ups (its token or base URL changed). */
  invalidate(integrationId: string): void {
    const prefix = `${integrationId}:`;
    this.users.deleteWhere((k) => k.startsWith(prefix));
    this.emails.deleteWhere((k) => k.startsWith(prefix));
  }

  async forPagerDutyUsers(config: IntegrationRuntimeConfig, ids: readonly (string | null | undefined)[]): Promise<UserLookup> {
    const result: UserLookup = { pairs: [], unknown: [], names: {} };
    for (const id of new Set(ids.filter((x): x is string => typeof x === 'string' && x !== ''))) {
      if (config.userMappings.some((m) => m.pdUserId === id)) continue;
      const user = await this.users.getOrLoad(`${config.id}:${id}`, () => this.lookUpPagerDutyUser(config, id), (u) => (u === null ? PD_USER_MISS_TTL_MS : Math.min(60000, this.ttlMs)));
      if (user === null) result.unknown.push({ side: 'external', key: id });
      else {
        result.pairs.push({ email: user.email, pagerDutyUserId: id });
        if (user.name) result.names[id] = user.name;
      }
    }
    return result;
  }

  async forEmails(config: IntegrationRuntimeConfig, emails: readonly (string | null | undefined)[]): Promise<UserLookup> {
    const result: UserLookup = { pairs: [], unknown: [], names: {} };
    for (const email of new Set(emails.filter((x): x is string => typeof x === 'string' && x !== ''))) {
      if (config.userMappings.some((m) => m.email.toLowerCase() === email.toLowerCase())) continue;
      const id = await this.emails.getOrLoad(`${config.id}:${email.toLowerCase()}`, () => this.pagerDutyIdOfEmail(config, email), (x) => (x === null ? PD_USER_MISS_TTL_MS : Math.min(60000, this.ttlMs)));
      if (id === null) result.unknown.push({ side: 'platform', key: email.toLowerCase() });
      else result.pairs.push({ email, pagerDutyUserId: id });
    }
    return result;
  }

  private async lookUpPagerDutyUser(config: IntegrationRuntimeConfig, id: string): Promise<FoundUser> {
    const repo = this.dataSource.getRepository(PdUserEntity);
    const cached = await repo.findOne({ where: { integrationId: config.id, pdUserId: id } });
    if (cached && Date.now() - new Date(cached.fetchedAt).getTime() < this.ttlMs) return { email: cached.email, name: cached.name };
    try {
      const { data } = await this.reads.run(config, 'GET /users/{id}', (client) => client.getUser(id));
      await this.remember(config.id, data.user.id, data.user.email, data.user.name ?? null);
      return { email: data.user.email, name: data.user.name ?? null };
    } catch (error) {
      if (error instanceof PagerDutyApiError && error.status === 404) return null;
      // PagerDuty unreachable or rate-limited: an older cached answer is better than none.
      if (cached) return { email: cached.email, name: cached.name };
      throw error;
    }
  }

  private async pagerDutyIdOfEmail(config: IntegrationRuntimeConfig, email: string): Promise<string | null> {
    const rows: { pd_user_id: string; fetched_at: Date }[] = await this.dataSource.query(
      `SELECT "pd_user_id", "fetched_at" FROM "pd_user" WHERE "integration_id" = $1 AND lower("email") = lower($2) ORDER BY "fetched_at" DESC LIMIT 1`,
      [config.id, email],
    );
    const cached = rows[0];
    if (cached && Date.now() - new Date(cached.fetched_at).getTime() < this.ttlMs) return cached.pd_user_id;
    try {
      const { data } = await this.reads.run(config, 'GET /users', (client) => client.listUsers({ query: email, limit: 25 }));
      const user = data.users.find((u) => u.email.toLowerCase() === email.toLowerCase());
      if (!user) return null;
      await this.remember(config.id, user.id, user.email, user.name ?? null);
      return user.id;
    } catch (error) {
      if (cached) return cached.pd_user_id;
      throw error;
    }
  }

  private async remember(integrationId: string, pdUserId: string, email: string, name: string | null): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO "pd_user" ("integration_id", "pd_user_id", "email", "name", "fetched_at") VALUES ($1, $2, $3, $4, now())
       ON CONFLICT ("integration_id", "pd_user_id") DO UPDATE SET "email" = EXCLUDED."email", "name" = EXCLUDED."name", "fetched_at" = now()`,
      [integrationId, pdUserId, email, name],
    );
  }
}

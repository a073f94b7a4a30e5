import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { IntegrationRuntimeConfig } from '@incident-sync/integration-config-client';
import { PagerDutyApiError } from '@incident-sync/pagerduty';
import type { UserPair } from './integration-settings';
import { pagerDutyClientFor } from './pagerduty-clients';
import { PdUserEntity } from './pd-user.entity';

export const PD_USER_CACHE_TTL_MS = Symbol('PD_USER_CACHE_TTL_MS');

/** What a look-up found: the pair, or the key that matched nobody (reported, never guessed). */
export interface UserLookup {
  pairs: UserPair[];
  unknown: { side: 'platform' | 'external'; key: string }[];
  names: Record<string, string>;
}

/**
 * PagerDuty user ↔ platform email (issue #8: "PagerDuty user → email via GET /users,
 * cached"). Configured user mappings are overrides; everyone else matches by email. Found
 * users are cached in `pd_user`; a user PagerDuty does not know is not cached, so adding
 * them in PagerDuty fixes the mapping without an operator action. Transport failures throw
 * (the consumer retries), a 404 means "unknown".
 */
@Injectable()
export class UserDirectory {
  /** Emails that matched no PagerDuty user, briefly, so a burst of edits does not repeat the search. */
  private readonly missingEmails = new Map<string, number>();
  /** A minute of memory in front of `pd_user`: most webhooks name the same few responders. */
  private readonly recent = new Map<string, { email: string; name: string | null; until: number }>();

  constructor(private readonly dataSource: DataSource, @Inject(PD_USER_CACHE_TTL_MS) private readonly ttlMs: number) {}

  async forPagerDutyUsers(config: IntegrationRuntimeConfig, ids: readonly (string | null | undefined)[]): Promise<UserLookup> {
    const result: UserLookup = { pairs: [], unknown: [], names: {} };
    for (const id of new Set(ids.filter((x): x is string => typeof x === 'string' && x !== ''))) {
      if (config.userMappings.some((m) => m.pdUserId === id)) continue;
      const user = await this.pagerDutyUser(config, id);
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
      const id = await this.pagerDutyIdOfEmail(config, email);
      if (id === null) result.unknown.push({ side: 'platform', key: email.toLowerCase() });
      else result.pairs.push({ email, pagerDutyUserId: id });
    }
    return result;
  }

  private async pagerDutyUser(config: IntegrationRuntimeConfig, id: string): Promise<{ email: string; name: string | null } | null> {
    const memoKey = `${config.id}:${id}`;
    const memo = this.recent.get(memoKey);
    if (memo && memo.until > Date.now()) return { email: memo.email, name: memo.name };
    const found = await this.lookUpPagerDutyUser(config, id);
    if (found) this.recent.set(memoKey, { ...found, until: Date.now() + Math.min(60000, this.ttlMs) });
    return found;
  }

  private async lookUpPagerDutyUser(config: IntegrationRuntimeConfig, id: string): Promise<{ email: string; name: string | null } | null> {
    const repo = this.dataSource.getRepository(PdUserEntity);
    const cached = await repo.findOne({ where: { integrationId: config.id, pdUserId: id } });
    if (cached && Date.now() - new Date(cached.fetchedAt).getTime() < this.ttlMs) return { email: cached.email, name: cached.name };
    try {
      const { data } = await pagerDutyClientFor(config).getUser(id);
      await this.remember(config.id, data.user.id, data.user.email, data.user.name ?? null);
      return { email: data.user.email, name: data.user.name ?? null };
    } catch (error) {
      if (error instanceof PagerDutyApiError && error.status === 404) return null;
      // PagerDuty unreachable: an older cached answer is better than none.
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
    const missKey = `${config.id}:${email.toLowerCase()}`;
    const missedAt = this.missingEmails.get(missKey);
    if (missedAt !== undefined && Date.now() - missedAt < 30000) return null;
    try {
      const { data } = await pagerDutyClientFor(config).listUsers({ query: email, limit: 25 });
      const user = data.users.find((u) => u.email.toLowerCase() === email.toLowerCase());
      if (!user) {
        this.missingEmails.set(missKey, Date.now());
        return null;
      }
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

import { Logger } from '@nestjs/common';
import { AppError } from '@incident-sync/contracts';
import { BoundedCache } from '@incident-sync/service-runtime';
import { HttpIntegrationConfigApi, IntegrationConfigApi } from './integration-config.api';
import { isIntegrationRef, isUuid } from './integration-ref';
import { integrationNotFound } from './integration-not-found';
import { IntegrationRuntimeConfig, IntegrationSummary } from './integration-runtime-config';

export interface IntegrationLookupOptions {
  /** How long a config is trusted without a change event: bounds staleness when one is missed. 0 = no caching. */
  ttlMs: number;
  /** Configs held at most (least recently used evicted first). */
  maxEntries?: number;
  /** How long integration-config's 404 for an id is remembered (small, short negative cache). */
  missTtlMs?: number;
  missMaxEntries?: number;
  /** How long allInOrganization reuses an organization's list of integration ids. */
  organizationTtlMs?: number;
}

export interface IntegrationLookupSizes {
  configs: number;
  misses: number;
  slugs: number;
  organizations: number;
}

export const INTEGRATION_LOOKUP_DEFAULTS = { maxEntries: 1000, missTtlMs: 5000, missMaxEntries: 1000, organizationTtlMs: 10000 } as const;

const UNAVAILABLE = 'integration configuration is unavailable right now; retry shortly';
const LOG_UNAVAILABLE_EVERY_MS = 10000;

/**
 * The one way services find an integration (issue #17 point 4), with its secrets decrypted by
 * integration-config and cached here under rules that an outside caller cannot abuse:
 *
 * - `byId` is for ids our own messages carry and for the public webhook URL: anything that is
 *   not a UUID is unknown without asking anyone, and only a canonical id that
 *   integration-config confirmed is cached (a 404 only in a small negative cache with a short TTL);
 * - `inOrganization` is for REST `:ref` (id or slug): the answer must belong to the caller's
 *   organization, else 404, never 403;
 * - `allInOrganization` reads the organization's summaries (no secrets) and each integration by id.
 *
 * Every cache is bounded (LRU) and expires. integration-config unreachable → AppError
 * DEPENDENCY_UNAVAILABLE (retryable; 503 at an HTTP edge, so PagerDuty retries a delivery).
 * `invalidate` is what the shared IntegrationConfigChangedConsumer calls.
 */
export class IntegrationLookup {
  private readonly logger = new Logger(IntegrationLookup.name);
  /** canonical id → config, only as integration-config returned it. */
  private readonly configs: BoundedCache<string, IntegrationRuntimeConfig>;
  /** canonical ids integration-config answered 404 for. */
  private readonly misses: BoundedCache<string, true>;
  /** `org \n slug` → canonical id; checked against the cached config on every use. */
  private readonly slugs: BoundedCache<string, string>;
  /** organization → its integrations' summaries. */
  private readonly organizations: BoundedCache<string, IntegrationSummary[]>;
  private readonly inFlight = new Map<string, Promise<IntegrationRuntimeConfig | null>>();
  /** Bumped by every invalidation: a fetch that started before one is returned but not cached. */
  private epoch = 0;
  private lastUnavailableLog = 0;

  constructor(private readonly api: IntegrationConfigApi, options: IntegrationLookupOptions) {
    const o = { ...INTEGRATION_LOOKUP_DEFAULTS, ...options };
    this.configs = new BoundedCache({ maxEntries: o.maxEntries, ttlMs: o.ttlMs });
    this.slugs = new BoundedCache({ maxEntries: o.maxEntries, ttlMs: o.ttlMs });
    this.misses = new BoundedCache({ maxEntries: o.missMaxEntries, ttlMs: Math.min(o.missTtlMs, o.ttlMs) });
    this.organizations = new BoundedCache({ maxEntries: o.maxEntries, ttlMs: Math.min(o.organizationTtlMs, o.ttlMs) });
  }

  static overHttp(options: IntegrationLookupOptions & { baseUrl: string; internalToken: string; timeoutMs?: number }): IntegrationLookup {
    return new IntegrationLookup(new HttpIntegrationConfigApi(options.baseUrl, options.internalToken, options.timeoutMs), options);
  }

  /** The integration with this id, or null when there is none (deleted, never existed, not a UUID). */
  async byId(id: string): Promise<IntegrationRuntimeConfig | null> {
    if (!isUuid(id)) return null;
    const key = id.toLowerCase();
    const hit = this.configs.get(key);
    if (hit !== undefined) return hit;
    if (this.misses.get(key) === true) return null;
    const pending = this.inFlight.get(key);
    if (pending !== undefined) return pending;
    const fetching = this.fetchById(key).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, fetching);
    return fetching;
  }

  /** REST `:ref` (id or slug) within the caller's organization; anything else is NOT_FOUND. */
  async inOrganization(organizationId: string, ref: string): Promise<IntegrationRuntimeConfig> {
    if (organizationId === '') throw AppError.notFound(`integration ${ref}`);
    if (!isIntegrationRef(ref)) throw await this.notFoundIn(organizationId, ref);
    const cachedId = isUuid(ref) ? ref.toLowerCase() : this.slugs.get(slugKey(organizationId, ref));
    const hit = cachedId === undefined ? undefined : this.configs.get(cachedId);
    if (hit !== undefined && hit.organizationId === organizationId && (isUuid(ref) || hit.slug === ref)) return hit;
    const epoch = this.epoch;
    const found = await this.call(() => this.api.inOrganization(organizationId, ref));
    // integration-config scopes the query; checking again costs nothing and holds if a route ever changes.
    if (found === null || found.organizationId !== organizationId) throw await this.notFoundIn(organizationId, ref);
    if (epoch === this.epoch) {
      this.configs.set(found.id, found);
      if (found.slug === ref) this.slugs.set(slugKey(organizationId, ref), found.id);
    }
    return found;
  }

  /**
   * NOT_FOUND naming the organization's own integrations and the closest to `ref`
   * (`prod-pd` → production-pagerduty). When the list cannot be read, the plain NOT_FOUND.
   */
  private async notFoundIn(organizationId: string, ref: string): Promise<AppError> {
    try {
      let summaries = this.organizations.get(organizationId);
      if (summaries === undefined) {
        const epoch = this.epoch;
        summaries = await this.api.summaries(organizationId);
        if (epoch === this.epoch) this.organizations.set(organizationId, summaries);
      }
      return integrationNotFound(ref, summaries.filter((s) => s.organizationId === organizationId));
    } catch {
      return AppError.notFound(`integration ${ref}`);
    }
  }

  /** Every integration of an organization, secrets included (read one by one by id; the list itself has none). */
  async allInOrganization(organizationId: string): Promise<IntegrationRuntimeConfig[]> {
    let summaries = this.organizations.get(organizationId);
    const cached = summaries !== undefined;
    if (summaries === undefined) {
      const epoch = this.epoch;
      summaries = await this.call(() => this.api.summaries(organizationId));
      if (epoch === this.epoch) this.organizations.set(organizationId, summaries);
    }
    const configs = await Promise.all(summaries.map((s) => this.byId(s.id)));
    const present = configs.filter((c): c is IntegrationRuntimeConfig => c !== null && c.organizationId === organizationId);
    // One vanished since the list was read: read the list again rather than trust it for its TTL.
    if (cached && present.length !== summaries.length) {
      this.organizations.delete(organizationId);
      return this.allInOrganization(organizationId);
    }
    return present;
  }

  /** integration.config.changed: the next read goes to integration-config. */
  invalidate(integrationId: string, organizationId?: string): void {
    this.epoch += 1;
    const key = integrationId.toLowerCase();
    this.configs.delete(key);
    this.misses.delete(key);
    if (organizationId !== undefined) this.organizations.delete(organizationId);
    else this.organizations.clear();
  }

  /** Entries held per cache (each is bounded; exposed for tests and diagnostics). */
  sizes(): IntegrationLookupSizes {
    return { configs: this.configs.size, misses: this.misses.size, slugs: this.slugs.size, organizations: this.organizations.size };
  }

  private async fetchById(key: string): Promise<IntegrationRuntimeConfig | null> {
    const epoch = this.epoch;
    const found = await this.call(() => this.api.byId(key));
    if (found !== null && found.id.toLowerCase() !== key) {
      // Not the integration asked for: never cache it under either id.
      this.logger.warn('integration-config answered an id lookup with another integration; ignoring the answer');
      return null;
    }
    if (epoch !== this.epoch) return found;
    if (found === null) this.misses.set(key, true);
    else this.configs.set(found.id, found);
    return found;
  }

  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      const now = Date.now();
      if (now - this.lastUnavailableLog >= LOG_UNAVAILABLE_EVERY_MS) {
        this.lastUnavailableLog = now;
        this.logger.warn(`integration lookup failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      throw new AppError('DEPENDENCY_UNAVAILABLE', UNAVAILABLE);
    }
  }
}

const slugKey = (organizationId: string, slug: string): string => `${organizationId}\n${slug}`;

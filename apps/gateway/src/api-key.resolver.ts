import { createHash } from 'node:crypto';
import { INTERNAL_HEADERS } from '@incident-sync/contracts';
import { BoundedCache } from '@incident-sync/service-runtime';

export interface CallerIdentity {
  organization_id: string | null;
  key_id: string;
  name: string;
  is_admin: boolean;
}

/** Most API-key answers (known or unknown keys) kept at once; the least recently used go first. */
export const API_KEY_CACHE_MAX_ENTRIES = 10000;

/**
 * Resolves an API key to its organization through integration-config (the owner of keys),
 * caching answers briefly by the key's SHA-256 so the key itself is never kept as a map key.
 * The cache is bounded (LRU, API_KEY_CACHE_MAX_ENTRIES) with a TTL, so random keys sent by a
 * caller cannot grow it, nor flush every known key at once.
 */
export class ApiKeyResolver {
  private readonly cache: BoundedCache<string, CallerIdentity | null>;

  constructor(private readonly configUrl: string, private readonly internalToken: string, ttlMs: number, maxEntries = API_KEY_CACHE_MAX_ENTRIES) {
    this.cache = new BoundedCache({ maxEntries, ttlMs });
  }

  async resolve(apiKey: string): Promise<CallerIdentity | null> {
    const digest = createHash('sha256').update(apiKey).digest('hex');
    const cached = this.cache.get(digest);
    if (cached !== undefined) return cached;
    const response = await fetch(`${this.configUrl}/internal/v1/api-keys/resolve`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [INTERNAL_HEADERS.internalToken]: this.internalToken },
      body: JSON.stringify({ api_key: apiKey }),
      signal: AbortSignal.timeout(5000),
    });
    if (response.status === 401 || response.status === 404) {
      this.cache.set(digest, null);
      return null;
    }
    if (!response.ok) throw new Error(`integration-config answered ${response.status} resolving an API key`);
    const identity = (await response.json()) as CallerIdentity;
    this.cache.set(digest, identity);
    return identity;
  }
}

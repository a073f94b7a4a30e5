import { createHash } from 'node:crypto';
import { INTERNAL_HEADERS } from '@incident-sync/contracts';

export interface CallerIdentity {
  organization_id: string | null;
  key_id: string;
  name: string;
  is_admin: boolean;
}

/**
 * Resolves an API key to its organization through integration-config (the owner of keys),
 * caching answers briefly by the key's SHA-256 so the key itself is never kept as a map key.
 */
export class ApiKeyResolver {
  private readonly cache = new Map<string, { identity: CallerIdentity | null; expires: number }>();

  constructor(private readonly configUrl: string, private readonly internalToken: string, private readonly ttlMs: number) {}

  async resolve(apiKey: string): Promise<CallerIdentity | null> {
    const digest = createHash('sha256').update(apiKey).digest('hex');
    const cached = this.cache.get(digest);
    if (cached && cached.expires > Date.now()) return cached.identity;
    const response = await fetch(`${this.configUrl}/internal/v1/api-keys/resolve`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [INTERNAL_HEADERS.internalToken]: this.internalToken },
      body: JSON.stringify({ api_key: apiKey }),
      signal: AbortSignal.timeout(5000),
    });
    if (response.status === 401 || response.status === 404) {
      this.remember(digest, null);
      return null;
    }
    if (!response.ok) throw new Error(`integration-config answered ${response.status} resolving an API key`);
    const identity = (await response.json()) as CallerIdentity;
    this.remember(digest, identity);
    return identity;
  }

  private remember(digest: string, identity: CallerIdentity | null): void {
    if (this.cache.size > 10000) this.cache.clear();
    this.cache.set(digest, { identity, expires: Date.now() + this.ttlMs });
  }
}

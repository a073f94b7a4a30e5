import { randomBytes, randomUUID } from 'node:crypto';
import { AppError } from '@incident-sync/contracts';
import { IntegrationConfigApi, IntegrationConfigUnavailableError, safeSegment } from './integration-config.api';
import { IntegrationLookup } from './integration-lookup';
import { IntegrationRuntimeConfig, IntegrationSummary } from './integration-runtime-config';

const config = (over: Partial<IntegrationRuntimeConfig> & Pick<IntegrationRuntimeConfig, 'organizationId'>): IntegrationRuntimeConfig => ({
  id: randomUUID(), slug: 'prod-pd', name: 'Prod', type: 'pagerduty', baseUrl: 'https://api.pagerduty.com', token: 'tok', webhookSecrets: ['sec'],
  fromEmail: null, botUserId: null, syncDirection: 'bidirectional', enabled: true, conflictStrategy: 'last-write-wins', syncEscalations: false,
  rateLimitPerMinute: 60, backoffMultiplier: 2, reconcileIntervalSeconds: 300, reconcileBudgetPercent: 10, priorityMapping: {}, defaultServiceId: null, unmappedServices: 'create', defaultIncidentType: null, fieldOwnership: [], serviceMappings: [], userMappings: [],
  version: 1, updatedAt: '2026-01-01T00:00:00.000Z', ...over,
});

/** integration-config's internal API as a counting stand-in: what it holds, what it was asked. */
class CountingApi implements IntegrationConfigApi {
  readonly stored = new Map<string, IntegrationRuntimeConfig>();
  readonly calls = { byId: 0, inOrganization: 0, summaries: 0 };
  down = false;
  /** A faulty server for the defence-in-depth cases: answers every request with this config. */
  answerAlways: IntegrationRuntimeConfig | null = null;
  private gate: Promise<void> | null = null;
  private open: (() => void) | null = null;

  put(c: IntegrationRuntimeConfig): IntegrationRuntimeConfig {
    this.stored.set(c.id, c);
    return c;
  }

  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }

  release(): void {
    this.open?.();
    this.gate = null;
  }

  async byId(id: string): Promise<IntegrationRuntimeConfig | null> {
    this.calls.byId += 1;
    await this.gate;
    if (this.down) throw new IntegrationConfigUnavailableError('integration-config answered 503');
    return this.answerAlways ?? this.stored.get(id) ?? null;
  }

  async inOrganization(organizationId: string, ref: string): Promise<IntegrationRuntimeConfig | null> {
    this.calls.inOrganization += 1;
    if (this.down) throw new IntegrationConfigUnavailableError('integration-config is unreachable: ECONNREFUSED');
    if (this.answerAlways) return this.answerAlways;
    return [...this.stored.values()].find((c) => c.organizationId === organizationId && (c.id === ref.toLowerCase() || c.slug === ref)) ?? null;
  }

  async summaries(organizationId: string): Promise<IntegrationSummary[]> {
    this.calls.summaries += 1;
    if (this.down) throw new IntegrationConfigUnavailableError('integration-config answered 500');
    return [...this.stored.values()].filter((c) => c.organizationId === organizationId).map(({ token: _t, webhookSecrets: _w, ...rest }) => rest);
  }
}

const codeOf = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
    return 'ok';
  } catch (error) {
    return error instanceof AppError ? error.code : `not an AppError: ${String(error)}`;
  }
};

describe('IntegrationLookup', () => {
  let now = 1_000_000;
  let clock: jest.SpyInstance<number, []>;
  beforeEach(() => {
    now = 1_000_000;
    clock = jest.spyOn(Date, 'now').mockImplementation(() => now);
  });
  afterEach(() => clock.mockRestore());

  describe('byId (Kafka paths and the public webhook URL)', () => {
    it('given a flood of random UUIDs and random strings, the caches stay within their bounds and nothing unknown is returned', async () => {
      const api = new CountingApi();
      const lookup = new IntegrationLookup(api, { ttlMs: 60000, maxEntries: 100, missMaxEntries: 50, missTtlMs: 5000 });
      const known = api.put(config({ organizationId: 'org-a' }));
      const answers: unknown[] = [];
      for (let i = 0; i < 2000; i += 1) {
        answers.push(await lookup.byId(randomUUID()));
        answers.push(await lookup.byId(randomBytes(1 + (i % 40)).toString(i % 2 ? 'hex' : 'latin1')));
        answers.push(await lookup.byId(`../../internal/v1/integrations?x=${i}`));
      }
      expect(answers.filter((a) => a !== null)).toEqual([]);
      const sizes = lookup.sizes();
      expect(sizes.misses).toBe(50);
      expect(sizes.configs).toBe(0);
      expect(sizes.slugs + sizes.organizations).toBe(0);
      // Only UUIDs reached integration-config; the strings never left the process.
      expect(api.calls.byId).toBe(2000);
      expect(await lookup.byId(known.id)).toEqual(known);
      expect(lookup.sizes().configs).toBe(1);
    });

    it('given a known id in any case, it is fetched once and cached only under the canonical id', async () => {
      const api = new CountingApi();
      const lookup = new IntegrationLookup(api, { ttlMs: 60000 });
      const known = api.put(config({ organizationId: 'org-a' }));
      expect(await lookup.byId(known.id.toUpperCase())).toEqual(known);
      expect(await lookup.byId(known.id)).toEqual(known);
      expect(await lookup.byId(known.id.toUpperCase())).toEqual(known);
      expect(api.calls.byId).toBe(1);
      expect(lookup.sizes().configs).toBe(1);
    });

    it('given more known integrations than maxEntries, the least recently used are evicted', async () => {
      const api = new CountingApi();
      const lookup = new IntegrationLookup(api, { ttlMs: 60000, maxEntries: 3 });
      const all = Array.from({ length: 10 }, () => api.put(config({ organizationId: 'org-a' })));
      for (const c of all) await lookup.byId(c.id);
      expect(lookup.sizes().configs).toBe(3);
      await lookup.byId(all[9]!.id);
      expect(api.calls.byId).toBe(10);
      await lookup.byId(all[0]!.id);
      expect(api.calls.byId).toBe(11);
    });

    it('never caches an answer for another id than the one asked for', async () => {
      const api = new CountingApi();
      const lookup = new IntegrationLookup(api, { ttlMs: 60000 });
      const other = config({ organizationId: 'org-b' });
      api.answerAlways = other;
      expect(await lookup.byId(randomUUID())).toBeNull();
      expect(lookup.sizes().configs).toBe(0);
    });

    it('remembers a 404 only for the short miss TTL, and a change event forgets it at once', async () => {
      const api = new CountingApi();
      const lookup = new IntegrationLookup(api, { ttlMs: 60000, missTtlMs: 5000 });
      const id = randomUUID();
      expect(await lookup.byId(id)).toBeNull();
      expect(await lookup.byId(id)).toBeNull();
      expect(api.calls.byId).toBe(1);
      now += 5000;
      expect(await lookup.byId(id)).toBeNull();
      expect(api.calls.byId).toBe(2);
      const created = api.put(config({ organizationId: 'org-a', id }));
      lookup.invalidate(id, 'org-a');
      expect(await lookup.byId(id)).toEqual(created);
    });

    it('re-reads after the TTL and after invalidate', async () => {
      const api = new CountingApi();
      const lookup = new IntegrationLookup(api, { ttlMs: 60000 });
      const c = api.put(config({ organizationId: 'org-a' }));
      await lookup.byId(c.id);
      now += 59999;
      await lookup.byId(c.id);
      expect(api.calls.byId).toBe(1);
      now += 1;
      await lookup.byId(c.id);
      expect(api.calls.byId).toBe(2);
      api.put({ ...c, token: 'rotated', version: 2 });
      lookup.invalidate(c.id.toUpperCase());
      expect((await lookup.byId(c.id))?.token).toBe('rotated');
    });

    it('integration-config down → DEPENDENCY_UNAVAILABLE (retryable), and the failure is not cached', async () => {
      const api = new CountingApi();
      const lookup = new IntegrationLookup(api, { ttlMs: 60000 });
      const c = api.put(config({ organizationId: 'org-a' }));
      api.down = true;
      const failure = await lookup.byId(c.id).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(AppError);
      expect(failure).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', retryable: true });
      // The cause (which may name a URL) is logged, not put in the error a caller sees.
      expect((failure as AppError).message).not.toContain('503');
      api.down = false;
      expect(await lookup.byId(c.id)).toEqual(c);
    });

    it('concurrent reads of one id share one request', async () => {
      const api = new CountingApi();
      const lookup = new IntegrationLookup(api, { ttlMs: 60000 });
      const c = api.put(config({ organizationId: 'org-a' }));
      api.hold();
      const reads = Array.from({ length: 20 }, () => lookup.byId(c.id));
      api.release();
      expect(await Promise.all(reads)).toEqual(Array(20).fill(c));
      expect(api.calls.byId).toBe(1);
    });

    it('a read that was in flight when a change arrived is answered but not cached', async () => {
      const api = new CountingApi();
      const lookup = new IntegrationLookup(api, { ttlMs: 60000 });
      const c = api.put(config({ organizationId: 'org-a' }));
      api.hold();
      const read = lookup.byId(c.id);
      lookup.invalidate(c.id, 'org-a');
      api.release();
      expect(await read).toEqual(c);
      expect(lookup.sizes().configs).toBe(0);
    });
  });

  describe('inOrganization (REST :ref, id or slug)', () => {
    it("finds the caller's own integration by id and by slug; another organization's is NOT_FOUND either way", async () => {
      const api = new CountingApi();
      const lookup = new IntegrationLookup(api, { ttlMs: 60000 });
      const a = api.put(config({ organizationId: 'org-a', slug: 'prod-pd' }));
      expect(await lookup.inOrganization('org-a', a.id)).toEqual(a);
      expect(await lookup.inOrganization('org-a', 'prod-pd')).toEqual(a);
      // Even with org A's integration cached, org B gets no hit from the cache.
      expect(await codeOf(lookup.inOrganization('org-b', a.id))).toBe('NOT_FOUND');
      expect(await codeOf(lookup.inOrganization('org-b', a.id.toUpperCase()))).toBe('NOT_FOUND');
      expect(await codeOf(lookup.inOrganization('org-b', 'prod-pd'))).toBe('NOT_FOUND');
    });

    it("refuses an answer of another organization even if integration-config gave one", async () => {
      const api = new CountingApi();
      const lookup = new IntegrationLookup(api, { ttlMs: 60000 });
      api.answerAlways = config({ organizationId: 'org-a' });
      expect(await codeOf(lookup.inOrganization('org-b', 'prod-pd'))).toBe('NOT_FOUND');
      expect(lookup.sizes().configs).toBe(0);
    });

    it('a ref that is neither an id nor a slug is NOT_FOUND without asking integration-config', async () => {
      const api = new CountingApi();
      const lookup = new IntegrationLookup(api, { ttlMs: 60000 });
      for (const ref of ['..', '.', '', '../../internal/v1/integrations', 'Prod-PD', 'a b', 'x\u0000y', '-x', 'a'.repeat(65)]) {
        expect(await codeOf(lookup.inOrganization('org-a', ref))).toBe('NOT_FOUND');
      }
      expect(await codeOf(lookup.inOrganization('', 'prod-pd'))).toBe('NOT_FOUND');
      expect(api.calls.inOrganization).toBe(0);
    });

    it('caches a slug for its organization and notices a rename', async () => {
      const api = new CountingApi();
      const lookup = new IntegrationLookup(api, { ttlMs: 60000 });
      const a = api.put(config({ organizationId: 'org-a', slug: 'old-name' }));
      await lookup.inOrganization('org-a', 'old-name');
      await lookup.inOrganization('org-a', 'old-name');
      await lookup.inOrganization('org-a', a.id);
      expect(api.calls.inOrganization).toBe(1);
      api.put({ ...a, slug: 'new-name', version: 2 });
      lookup.invalidate(a.id, 'org-a');
      expect((await lookup.inOrganization('org-a', 'new-name')).slug).toBe('new-name');
      expect(await codeOf(lookup.inOrganization('org-a', 'old-name'))).toBe('NOT_FOUND');
    });

    it('integration-config down → DEPENDENCY_UNAVAILABLE', async () => {
      const api = new CountingApi();
      const lookup = new IntegrationLookup(api, { ttlMs: 60000 });
      api.down = true;
      expect(await codeOf(lookup.inOrganization('org-a', 'prod-pd'))).toBe('DEPENDENCY_UNAVAILABLE');
    });
  });

  describe('allInOrganization', () => {
    it('reads the summaries (no secrets) and each integration by id, and reuses the list', async () => {
      const api = new CountingApi();
      const lookup = new IntegrationLookup(api, { ttlMs: 60000, organizationTtlMs: 10000 });
      const a1 = api.put(config({ organizationId: 'org-a', slug: 'one' }));
      const a2 = api.put(config({ organizationId: 'org-a', slug: 'two' }));
      api.put(config({ organizationId: 'org-b' }));
      expect(await lookup.allInOrganization('org-a')).toEqual([a1, a2]);
      expect(await lookup.allInOrganization('org-a')).toEqual([a1, a2]);
      expect(api.calls).toMatchObject({ summaries: 1, byId: 2 });
      now += 10000;
      await lookup.allInOrganization('org-a');
      expect(api.calls.summaries).toBe(2);
    });

    it('reads the list again when an integration on the cached list has gone', async () => {
      const api = new CountingApi();
      const lookup = new IntegrationLookup(api, { ttlMs: 60000 });
      const a1 = api.put(config({ organizationId: 'org-a', slug: 'one' }));
      const a2 = api.put(config({ organizationId: 'org-a', slug: 'two' }));
      await lookup.allInOrganization('org-a');
      api.stored.delete(a2.id);
      lookup.invalidate(a2.id); // the event names no organization here: every list is dropped
      await lookup.allInOrganization('org-a');
      expect(api.calls.summaries).toBe(2);
      api.stored.delete(a1.id);
      lookup['configs'].delete(a1.id); // evicted, not invalidated: the stale list is noticed on use
      expect(await lookup.allInOrganization('org-a')).toEqual([]);
      expect(api.calls.summaries).toBe(3);
    });
  });
});

describe('safeSegment', () => {
  it('refuses the dot segments URL parsing would resolve, and escapes the rest', () => {
    expect(safeSegment('..')).toBeNull();
    expect(safeSegment('.')).toBeNull();
    expect(safeSegment('')).toBeNull();
    expect(safeSegment('a/../b')).toBe('a%2F..%2Fb');
    expect(safeSegment('%2e%2e')).toBe('%252e%252e');
    expect(safeSegment('a\\b')).toBe('a%5Cb');
  });
});

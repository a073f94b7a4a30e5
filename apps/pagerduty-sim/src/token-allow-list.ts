/**
 * SIM_ALLOW_TOKENS: extra tokens the simulator accepts as account-level keys. An entry is an
 * exact token, `*` (any token), or a prefix ending in `*` (e.g. `canary-tok-*`), so a test can
 * use a token made up at run time (the security tier's canary) without restarting the simulator.
 */
export class TokenAllowList {
  private readonly exact = new Set<string>();
  private readonly prefixes: string[] = [];

  constructor(spec: string | undefined) {
    for (const entry of (spec ?? '').split(',').map((t) => t.trim()).filter(Boolean)) {
      if (entry.endsWith('*')) this.prefixes.push(entry.slice(0, -1));
      else this.exact.add(entry);
    }
  }

  accepts(token: string): boolean {
    return this.exact.has(token) || this.prefixes.some((prefix) => token.startsWith(prefix));
  }
}

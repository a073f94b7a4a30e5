import { checkSeed, DEFAULT_SEED_FILE, loadSeed } from './seed';

describe('seed', () => {
  it('the default seed is consistent and has what the product relies on', () => {
    const seed = loadSeed(DEFAULT_SEED_FILE);
    expect(seed.users.map((u) => u.email)).toContain('incident-sync-bot@example.com');
    expect(seed.priorities.map((p) => p.name)).toEqual(['P1', 'P2', 'P3', 'P4', 'P5']);
    expect(seed.tokens.map((t) => [t.token, t.kind])).toEqual(expect.arrayContaining([['sim-account-token', 'account'], ['sim-user-token', 'user']]));
    expect(seed.escalation_policies.every((ep) => ep.rules.length > 0)).toBe(true);
    expect(seed.schedules.every((s) => s.user_ids.length > 0)).toBe(true);
  });

  it('names every broken reference at once', () => {
    const seed = loadSeed(DEFAULT_SEED_FILE);
    seed.services[0]!.escalation_policy_id = 'PNOPE';
    seed.users[1]!.email = 'not-an-email';
    seed.tokens.push({ token: 'x', kind: 'user', user_id: 'PGHOST' });
    const problems = checkSeed(seed);
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/unknown escalation policy PNOPE/);
  });
});

import { TokenAllowList } from './token-allow-list';

describe('TokenAllowList (SIM_ALLOW_TOKENS)', () => {
  it('accepts exact entries only, when no entry ends in *', () => {
    const list = new TokenAllowList(' tok-a , tok-b ,');
    expect(list.accepts('tok-a')).toBe(true);
    expect(list.accepts('tok-b')).toBe(true);
    expect(list.accepts('tok-ab')).toBe(false);
    expect(list.accepts('')).toBe(false);
  });

  it('accepts any token for *, and tokens with the prefix for prefix*', () => {
    expect(new TokenAllowList('*').accepts('anything')).toBe(true);
    const list = new TokenAllowList('canary-tok-*');
    expect(list.accepts('canary-tok-1234')).toBe(true);
    expect(list.accepts('canary-tok-')).toBe(true);
    expect(list.accepts('not-a-valid-token')).toBe(false);
    expect(list.accepts('xcanary-tok-1')).toBe(false);
  });

  it('accepts nothing when unset', () => {
    expect(new TokenAllowList(undefined).accepts('sim-account-token')).toBe(false);
  });
});

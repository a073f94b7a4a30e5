import { withSearchPath } from './database-url';

const optionsOf = (url: string): string | null => new URL(url).searchParams.get('options');

describe('withSearchPath', () => {
  it('given a plain URL, then the schema becomes the search_path', () => {
    expect(optionsOf(withSearchPath('postgres://u@127.0.0.1:5432/db', 'sync_engine'))).toBe('-c search_path=sync_engine');
  });

  it('given other options in the URL, then they are kept and the search_path is added', () => {
    expect(optionsOf(withSearchPath('postgres://u@h/db?options=-c%20statement_timeout%3D5000', 'incidents'))).toBe('-c statement_timeout=5000 -c search_path=incidents');
  });

  it('given a search_path already in the URL, then it is replaced (never left pointing at public)', () => {
    expect(optionsOf(withSearchPath('postgres://u@h/db?options=-c%20search_path%3Dpublic%20-c%20lock_timeout%3D100', 'integration_config'))).toBe('-c lock_timeout=100 -c search_path=integration_config');
    expect(optionsOf(withSearchPath('postgres://u@h/db?options=--search_path%3Dpublic', 'incidents'))).toBe('-c search_path=incidents');
  });

  it('keeps the rest of the URL (credentials, host, other parameters)', () => {
    const url = new URL(withSearchPath('postgres://user:pw@10.0.0.1:6543/db?sslmode=require', 'incidents'));
    expect([url.username, url.password, url.host, url.pathname, url.searchParams.get('sslmode')]).toEqual(['user', 'pw', '10.0.0.1:6543', '/db', 'require']);
  });

  it('refuses a schema that is not a plain identifier (it would change the option string)', () => {
    expect(() => withSearchPath('postgres://u@h/db', 'x -c role=admin')).toThrow(/not a plain lower-case identifier/);
  });
});

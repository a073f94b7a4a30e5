import { isSameOriginPost, sessionCookie, sessionIdOf, STATUS_COOKIE, StatusSessions } from './status-session';

describe('status page sessions', () => {
  it('keeps the key on the server: the cookie value is a random id, unrelated to the key', () => {
    const sessions = new StatusSessions();
    const a = sessions.create('key-1');
    const b = sessions.create('key-1');
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('key-1');
    expect(sessions.apiKeyOf(a)).toBe('key-1');
    sessions.destroy(a);
    expect(sessions.apiKeyOf(a)).toBeUndefined();
    expect(sessions.apiKeyOf(b)).toBe('key-1');
    expect(sessions.apiKeyOf('x'.repeat(43))).toBeUndefined();
  });

  it('forgets a session after its time', () => {
    const sessions = new StatusSessions(0);
    expect(sessions.apiKeyOf(sessions.create('k'))).toBeUndefined();
  });

  it('reads only a well-formed session id from the Cookie header', () => {
    const id = 'A'.repeat(43);
    expect(sessionIdOf(`other=1; ${STATUS_COOKIE}=${id}; x=2`)).toBe(id);
    expect(sessionIdOf(`${STATUS_COOKIE}=short`)).toBeUndefined();
    expect(sessionIdOf(`x${STATUS_COOKIE}=${id}`)).toBeUndefined();
    expect(sessionIdOf(undefined)).toBeUndefined();
  });

  it('sets HttpOnly, SameSite=Strict, Path=/status, Secure only over https, and clears with Max-Age=0', () => {
    expect(sessionCookie('abc', false, 3600_000)).toBe(`${STATUS_COOKIE}=abc; Path=/status; HttpOnly; SameSite=Strict; Max-Age=3600`);
    expect(sessionCookie('abc', true)).toMatch(/; Secure$/);
    expect(sessionCookie(null, false)).toBe(`${STATUS_COOKIE}=; Path=/status; HttpOnly; SameSite=Strict; Max-Age=0`);
  });
});

describe('form POSTs must come from this origin (CSRF)', () => {
  const host = 'status.example:8080';
  it.each([
    [{ host, origin: 'http://status.example:8080' }, true],
    [{ host, origin: 'https://STATUS.example:8080' }, true],
    [{ host, origin: 'https://evil.example' }, false],
    [{ host, origin: 'http://status.example:8081' }, false],
    [{ host, origin: 'null' }, false],
    [{ host, origin: 'null', 'sec-fetch-site': 'same-origin' }, true],
    [{ host, origin: 'null', 'sec-fetch-site': 'cross-site' }, false],
    [{ host, origin: 'https://evil.example', 'sec-fetch-site': 'same-origin' }, false],
    [{ host, origin: 'not a url' }, false],
    [{ host, 'sec-fetch-site': 'same-origin' }, true],
    [{ host, 'sec-fetch-site': 'cross-site' }, false],
    [{ host }, false],
    [{ origin: 'http://status.example:8080' }, false],
  ])('%j → %s', (headers, expected) => {
    expect(isSameOriginPost(headers)).toBe(expected);
  });
});

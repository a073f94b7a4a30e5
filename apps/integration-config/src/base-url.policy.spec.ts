import { AppError } from '@incident-sync/contracts';
import { BaseUrlPolicy, validateBaseUrl } from './base-url.policy';

const production = { allowList: ['api.pagerduty.com', 'api.eu.pagerduty.com'], allowLocal: false };
const local = { ...production, allowLocal: true };

function rejection(raw: string, options = production): AppError {
  try {
    validateBaseUrl(raw, options);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error(`${raw} was accepted`);
}

describe('base_url policy', () => {
  it("accepts PagerDuty's US and EU API hosts over https, normalized", () => {
    expect(validateBaseUrl('https://api.pagerduty.com', production)).toBe('https://api.pagerduty.com');
    expect(validateBaseUrl('https://api.pagerduty.com/', production)).toBe('https://api.pagerduty.com');
    expect(validateBaseUrl('https://API.EU.pagerduty.com', production)).toBe('https://api.eu.pagerduty.com');
  });

  it.each([
    ['http://api.pagerduty.com', /https/],
    ['https://evil.example.com', /not allowed/],
    ['https://api.pagerduty.com.evil.com', /not allowed/],
    ['https://user:pw@api.pagerduty.com', /credentials/],
    ['https://api.pagerduty.com/?x=1', /query/],
    ['not a url', /absolute URL/],
    ['http://127.0.0.1:8090', /loopback/],
    ['http://localhost:8090', /loopback/],
    ['https://[::1]:8090', /loopback/],
    ['ftp://api.pagerduty.com', /https/],
  ])('rejects %s with a 400 naming base_url', (raw, reason) => {
    const error = rejection(raw);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.field).toBe('base_url');
    expect(error.message).toMatch(reason);
  });

  it('allows loopback (http too) only in local mode, still not other http hosts', () => {
    expect(validateBaseUrl('http://127.0.0.1:18090', local)).toBe('http://127.0.0.1:18090');
    expect(validateBaseUrl('http://localhost:8090/', local)).toBe('http://localhost:8090');
    expect(rejection('http://10.0.0.5', local).message).toMatch(/https/);
    expect(rejection('https://169.254.169.254', local).message).toMatch(/not allowed/);
  });

  it('supports *.domain entries for subdomains only', () => {
    const options = { allowList: ['*.example.com'], allowLocal: false };
    expect(validateBaseUrl('https://pd.example.com', options)).toBe('https://pd.example.com');
    expect(rejection('https://example.com', options).message).toMatch(/not allowed/);
    expect(rejection('https://badexample.com', options).message).toMatch(/not allowed/);
  });

  it('checks the public webhook URL: https anywhere, http only in local mode', () => {
    expect(new BaseUrlPolicy(production).checkPublicUrl('https://sync.acme.example/')).toBe('https://sync.acme.example');
    expect(() => new BaseUrlPolicy(production).checkPublicUrl('http://sync.acme.example')).toThrow(/https/);
    expect(new BaseUrlPolicy(local).checkPublicUrl('http://127.0.0.1:18080')).toBe('http://127.0.0.1:18080');
  });

  describe('BASE_URL_HTTP_ALLOW_LIST (a simulator on a private network, e.g. docker compose)', () => {
    const compose = { ...production, httpOrigins: ['http://pagerduty-sim:8090'] };

    it('allows plain http to exactly the listed origin', () => {
      expect(validateBaseUrl('http://pagerduty-sim:8090', compose)).toBe('http://pagerduty-sim:8090');
      expect(validateBaseUrl('http://PagerDuty-Sim:8090/', compose)).toBe('http://pagerduty-sim:8090');
    });

    it.each([
      ['http://pagerduty-sim:8091', /https/],
      ['http://pagerduty-sim', /https/],
      ['http://pagerduty-sim.evil.com:8090', /https/],
      ['https://pagerduty-sim:8090', /not allowed/],
      ['http://user:pw@pagerduty-sim:8090', /credentials/],
      ['http://127.0.0.1:8090', /loopback/],
    ])('still rejects %s', (raw, reason) => {
      expect(rejection(raw, compose).message).toMatch(reason);
    });

    it('is empty by default: the same URL is refused without it', () => {
      expect(rejection('http://pagerduty-sim:8090').message).toMatch(/BASE_URL_HTTP_ALLOW_LIST/);
    });

    it('lets only an integration on a listed origin subscribe webhooks to an http public URL', () => {
      const policy = new BaseUrlPolicy(compose);
      expect(policy.checkPublicUrl('http://gateway:8080', 'public_url', 'http://pagerduty-sim:8090')).toBe('http://gateway:8080');
      expect(() => policy.checkPublicUrl('http://gateway:8080', 'public_url', 'https://api.pagerduty.com')).toThrow(/https/);
      expect(() => policy.checkPublicUrl('http://gateway:8080')).toThrow(/https/);
    });
  });
});

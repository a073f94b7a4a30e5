import { randomBytes } from 'node:crypto';
import { loadConfig } from '@incident-sync/service-runtime';
import { GatewayEnv } from './gateway.env';

const TOKENS = { INTERNAL_TOKEN: randomBytes(32).toString('hex'), GATEWAY_TOKEN: randomBytes(32).toString('hex') };

describe('gateway configuration', () => {
  it('turns numeric variables from the environment (strings) into numbers', () => {
    const env = loadConfig(GatewayEnv, { ...TOKENS, PORT: '18080', AUTH_CACHE_TTL_MS: '500', UPSTREAM_TIMEOUT_MS: '2000' });
    expect(env).toMatchObject({ PORT: 18080, AUTH_CACHE_TTL_MS: 500, UPSTREAM_TIMEOUT_MS: 2000, HOST: '127.0.0.1' });
  });

  it('uses the defaults when variables are absent', () => {
    const env = loadConfig(GatewayEnv, TOKENS);
    expect(env.PORT).toBe(8080);
    expect(env.INTEGRATION_CONFIG_URL).toBe('http://127.0.0.1:8081');
  });

  it('fails naming every bad variable, without echoing values', () => {
    expect(() => loadConfig(GatewayEnv, { INTERNAL_TOKEN: 'short-secret', PORT: 'eighty', INCIDENTS_URL: 'not a url' }))
      .toThrow(/INTERNAL_TOKEN[\s\S]*PORT|PORT[\s\S]*INTERNAL_TOKEN/);
    try {
      loadConfig(GatewayEnv, { INTERNAL_TOKEN: 'short-secret', PORT: 'eighty', INCIDENTS_URL: 'not a url' });
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('INCIDENTS_URL');
      expect(message).not.toContain('short-secret');
    }
  });

  it('needs a GATEWAY_TOKEN of at least 32 characters, distinct from INTERNAL_TOKEN', () => {
    expect(() => loadConfig(GatewayEnv, { INTERNAL_TOKEN: TOKENS.INTERNAL_TOKEN })).toThrow(/GATEWAY_TOKEN/);
    expect(() => loadConfig(GatewayEnv, { INTERNAL_TOKEN: TOKENS.INTERNAL_TOKEN, GATEWAY_TOKEN: randomBytes(15).toString('hex') })).toThrow(/GATEWAY_TOKEN/);
    const same = randomBytes(32).toString('hex');
    expect(() => loadConfig(GatewayEnv, { INTERNAL_TOKEN: same, GATEWAY_TOKEN: same })).toThrow(/GATEWAY_TOKEN must differ from INTERNAL_TOKEN/);
    expect(loadConfig(GatewayEnv, TOKENS).GATEWAY_TOKEN).toBe(TOKENS.GATEWAY_TOKEN);
  });
});

import { BaseEnv } from './base-env';
import { loadConfig } from './load-config';

const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  PORT: '8080',
  INTERNAL_TOKEN: 'internal-7f3a9c2e5b8d4f1a6c0e9b3d7a2f5c8e',
  GATEWAY_TOKEN: 'gateway-1b4e7a0d3c6f9b2e5a8d1c4f7b0e3a6d',
  ...extra,
});

describe('BaseEnv METRICS_ENABLED', () => {
  it('defaults to true and reads the usual spellings of false', () => {
    expect(loadConfig(BaseEnv, env()).METRICS_ENABLED).toBe(true);
    for (const off of ['false', 'FALSE', '0', 'no', 'off']) expect(loadConfig(BaseEnv, env({ METRICS_ENABLED: off })).METRICS_ENABLED).toBe(false);
    expect(loadConfig(BaseEnv, env({ METRICS_ENABLED: 'true' })).METRICS_ENABLED).toBe(true);
    expect(() => loadConfig(BaseEnv, env({ METRICS_ENABLED: 'maybe' }))).toThrow(/METRICS_ENABLED/);
  });
});

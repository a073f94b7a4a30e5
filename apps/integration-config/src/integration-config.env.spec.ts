import { loadConfig } from '@incident-sync/service-runtime';
import { IntegrationConfigEnv } from './integration-config.env';

const base = {
  PORT: '8081',
  INTERNAL_TOKEN: 'test-internal-9cc829265f5932b824b474e520474df7e797b810',
  GATEWAY_TOKEN: 'test-gateway-5f0d7c1e93a24b6f8e2d41c07a9b3e6d52f18c4a',
  ADMIN_API_KEY: 'test-admin-cb7cb2927d9956d904a0e8bb0adfc0134bb9a2de',
  ENCRYPTION_KEY: 'IINRiKQzNmjYoV9TNGz8ZiiOybwrG4aeir1QFP5Xi08=',
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/x',
  KAFKA_BROKERS: '127.0.0.1:9092',
};

describe('IntegrationConfigEnv: ALLOW_LOCAL_BASE_URLS (loopback base URLs; development only)', () => {
  it.each([['false', false], ['0', false], ['', false], ['true', true], ['TRUE', true], ['1', true]])('given %p, then it is %p', (raw, expected) => {
    expect(loadConfig(IntegrationConfigEnv, { ...base, ALLOW_LOCAL_BASE_URLS: raw }).ALLOW_LOCAL_BASE_URLS).toBe(expected);
  });

  it('given nothing, then it is off', () => {
    expect(loadConfig(IntegrationConfigEnv, base).ALLOW_LOCAL_BASE_URLS).toBe(false);
  });

  it('given a word that is not a boolean, then startup refuses it naming the variable', () => {
    expect(() => loadConfig(IntegrationConfigEnv, { ...base, ALLOW_LOCAL_BASE_URLS: 'maybe' })).toThrow(/ALLOW_LOCAL_BASE_URLS/);
  });
});

describe('IntegrationConfigEnv: PUBLIC_BASE_URL (the webhook URL PagerDuty is given)', () => {
  it('defaults to the gateway on this machine and accepts an https URL with a path', () => {
    expect(loadConfig(IntegrationConfigEnv, base).PUBLIC_BASE_URL).toBe('http://127.0.0.1:8080');
    expect(loadConfig(IntegrationConfigEnv, { ...base, PUBLIC_BASE_URL: 'https://sync.example.com/incident-sync' }).PUBLIC_BASE_URL).toBe('https://sync.example.com/incident-sync');
  });

  it.each(['sync.example.com', 'ftp://sync.example.com', 'https://user:pw@sync.example.com', 'https://sync.example.com/?x=1', 'https://sync.example.com/#frag'])('refuses %s, naming the variable', (raw) => {
    expect(() => loadConfig(IntegrationConfigEnv, { ...base, PUBLIC_BASE_URL: raw })).toThrow(/PUBLIC_BASE_URL/);
  });
});

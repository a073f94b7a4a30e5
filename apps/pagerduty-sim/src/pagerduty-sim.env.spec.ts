import { loadConfig } from '@incident-sync/service-runtime';
import { PagerDutySimEnv, retryDelays } from './pagerduty-sim.env';

describe('PagerDutySimEnv', () => {
  it('has the documented defaults and needs no INTERNAL_TOKEN', () => {
    const env = loadConfig(PagerDutySimEnv, {});
    expect(env).toMatchObject({ HOST: '127.0.0.1', PORT: 8090, SIM_RATE_LIMIT_PER_MINUTE: 960, SIM_CREATE_RATE_LIMIT_PER_MINUTE: 300, SIM_WEBHOOK_TIMEOUT_MS: 5000, SIM_REJECT_RESOLVED_EDITS: true });
    expect(retryDelays(env.SIM_WEBHOOK_RETRY_DELAYS_MS)).toEqual([200, 1000, 5000, 15000, 30000, 60000, 120000, 300000]);
  });

  it('converts strings from the environment and names every bad variable', () => {
    const env = loadConfig(PagerDutySimEnv, { PORT: '18090', SIM_RATE_LIMIT_PER_MINUTE: '10', SIM_REJECT_RESOLVED_EDITS: 'false', SIM_WEBHOOK_RETRY_DELAYS_MS: '50, 100' });
    expect(env).toMatchObject({ PORT: 18090, SIM_RATE_LIMIT_PER_MINUTE: 10, SIM_REJECT_RESOLVED_EDITS: false });
    expect(retryDelays(env.SIM_WEBHOOK_RETRY_DELAYS_MS)).toEqual([50, 100]);
    expect(() => loadConfig(PagerDutySimEnv, { PORT: 'x', SIM_WEBHOOK_RETRY_DELAYS_MS: 'soon' })).toThrow(/2 variable\(s\)[\s\S]*PORT[\s\S]*SIM_WEBHOOK_RETRY_DELAYS_MS/);
  });
});

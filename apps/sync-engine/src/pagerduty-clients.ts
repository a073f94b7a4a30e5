import type { IntegrationRuntimeConfig } from '@incident-sync/integration-config-client';
import { PagerDutyClient, PagerDutyClientOptions } from '@incident-sync/pagerduty';

/** A PagerDuty client acting with the integration's token (reads only: users, priorities, on-call); `onResponse` feeds metrics. */
export function pagerDutyClientFor(config: IntegrationRuntimeConfig, onResponse?: PagerDutyClientOptions['onResponse']): PagerDutyClient {
  return new PagerDutyClient({ baseUrl: config.baseUrl, token: config.token, fromEmail: config.fromEmail, timeoutMs: 5000, onResponse });
}

import type { IntegrationRuntimeConfig } from '@incident-sync/integration-config-client';
import { PagerDutyClient } from '@incident-sync/pagerduty';

/** A PagerDuty client acting with the integration's token (reads only: users, priorities, on-call). */
export function pagerDutyClientFor(config: IntegrationRuntimeConfig): PagerDutyClient {
  return new PagerDutyClient({ baseUrl: config.baseUrl, token: config.token, fromEmail: config.fromEmail, timeoutMs: 5000 });
}

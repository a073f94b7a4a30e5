import { Metrics, metricLabel, statusClassOf } from '@incident-sync/service-runtime';
import type { PagerDutyRequestObservation } from './pagerduty.client';

/**
 * The PagerDuty request metrics of a service (outbound-dispatcher, sync-engine): pass the
 * answer as the client's `onResponse`. Labels: method, operation (path with `{id}`s) and
 * status class; never a URL, id or token.
 */
export function pagerDutyRequestMetrics(metrics: Metrics): (observation: PagerDutyRequestObservation) => void {
  const requests = metrics.counter('incident_sync_pagerduty_requests_total', 'PagerDuty REST requests by method, operation and status class (network: no answer)', ['method', 'operation', 'status_class']);
  const rateLimited = metrics.counter('incident_sync_pagerduty_rate_limited_total', 'PagerDuty answers 429 (rate limited) by method and operation', ['method', 'operation']);
  const duration = metrics.histogram('incident_sync_pagerduty_request_duration_seconds', 'Time PagerDuty took to answer a request', ['method', 'operation']);
  return (o) => {
    const method = metricLabel(o.method, 10);
    const operation = metricLabel(o.operation);
    requests.inc({ method, operation, status_class: statusClassOf(o.status) });
    if (o.status === 429) rateLimited.inc({ method, operation });
    duration.observe({ method, operation }, o.seconds);
  };
}

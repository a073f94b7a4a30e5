import { GatewayEnv } from './gateway.env';

export type Upstream = 'integration-config' | 'incidents' | 'webhook-ingress' | 'sync-engine' | 'outbound-dispatcher' | 'dlq-manager';

export interface Route {
  /** Matched against the path (no query). First match wins, so specific routes come first. */
  pattern: RegExp;
  upstream: Upstream;
  /** Webhooks authenticate by PagerDuty signature, not by API key. */
  public?: boolean;
}

/**
 * Which service owns which part of /api/v1. Integration sub-resources that are sync state
 * (links, status, history, activity, conflicts, on-call) belong to the sync-engine; DLQ to dlq-manager.
 */
export const ROUTES: readonly Route[] = [
  { pattern: /^\/api\/v1\/webhooks\/[^/]+\/test$/, upstream: 'webhook-ingress' },
  { pattern: /^\/api\/v1\/webhooks(\/|$)/, upstream: 'webhook-ingress', public: true },
  { pattern: /^\/api\/v1\/integrations\/[^/]+\/(links|sync-status|history|activity|conflicts|oncall|reconcile|backfill)(\/|$)/, upstream: 'sync-engine' },
  { pattern: /^\/api\/v1\/integrations\/[^/]+\/dispatcher(\/|$)/, upstream: 'outbound-dispatcher' },
  { pattern: /^\/api\/v1\/integrations\/[^/]+\/dlq(\/|$)/, upstream: 'dlq-manager' },
  { pattern: /^\/api\/v1\/(integrations|api-keys|organizations)(\/|$)/, upstream: 'integration-config' },
  { pattern: /^\/api\/v1\/incidents(\/|$)/, upstream: 'incidents' },
  { pattern: /^\/api\/v1\/(conflicts|links|sync)(\/|$)/, upstream: 'sync-engine' },
  { pattern: /^\/api\/v1\/dlq(\/|$)/, upstream: 'dlq-manager' },
];

export function routeFor(path: string): Route | undefined {
  return ROUTES.find((r) => r.pattern.test(path));
}

export function upstreamUrls(env: GatewayEnv): Record<Upstream, string> {
  return {
    'integration-config': env.INTEGRATION_CONFIG_URL,
    incidents: env.INCIDENTS_URL,
    'webhook-ingress': env.WEBHOOK_INGRESS_URL,
    'sync-engine': env.SYNC_ENGINE_URL,
    'outbound-dispatcher': env.OUTBOUND_DISPATCHER_URL,
    'dlq-manager': env.DLQ_MANAGER_URL,
  };
}

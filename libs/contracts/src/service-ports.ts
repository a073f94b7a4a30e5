/**
 * Default ports of the local product. The gateway is the one public base URL; the others are
 * internal (each service reads its own PORT; these are only the defaults the scripts use).
 */
export const DEFAULT_PORTS = {
  gateway: 8080,
  'integration-config': 8081,
  incidents: 8082,
  'webhook-ingress': 8083,
  'sync-engine': 8084,
  'outbound-dispatcher': 8085,
  'dlq-manager': 8086,
  'pagerduty-sim': 8090,
} as const;

export type ServiceName = keyof typeof DEFAULT_PORTS;

/**
 * Headers the gateway sets after authenticating an API key. Services trust them only
 * together with the shared internal token, so a caller cannot pick its organization.
 */
export const INTERNAL_HEADERS = {
  organizationId: 'x-incident-sync-org',
  internalToken: 'x-incident-sync-internal-token',
  actor: 'x-incident-sync-actor',
  isAdmin: 'x-incident-sync-admin',
} as const;

/** Kafka header carrying the contract's message id (the consumers' inbox key). */
export const MESSAGE_ID_HEADER = 'message-id';

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
 * Headers the gateway sets after authenticating an API key, and the credentials that make
 * services trust them:
 * - `internalToken` (INTERNAL_TOKEN): service-to-service only. The gateway never attaches it
 *   to forwarded public traffic; it is the ONLY credential `/internal/...` routes accept.
 * - `gatewayToken` (GATEWAY_TOKEN): what the gateway attaches to every forwarded `/api/v1`
 *   request. Public `/api/v1` routes accept it (or the internal token); `/internal/` routes
 *   answer 401 to it.
 * Values of `organizationId` and `actor` are percent-encoded (encodeURIComponent, UTF-8) so
 * any organization id or API-key name fits an HTTP header, including non-Latin-1 text such as
 * `運用`; use `encodeTrustedHeader` to set them and `decodeTrustedHeader` to read them.
 * The gateway always strips client-supplied values of every `x-incident-sync-*` header.
 */
export const INTERNAL_HEADERS = {
  organizationId: 'x-incident-sync-org',
  internalToken: 'x-incident-sync-internal-token',
  gatewayToken: 'x-incident-sync-gateway-token',
  actor: 'x-incident-sync-actor',
  isAdmin: 'x-incident-sync-admin',
} as const;

/** Prefix of every header the gateway owns; client-supplied ones are always dropped. */
export const INTERNAL_HEADER_PREFIX = 'x-incident-sync-';

/** Encodes a trusted header value (organization id, actor) for the wire: UTF-8, percent-encoded (a lone surrogate becomes U+FFFD). */
export function encodeTrustedHeader(value: string): string {
  return encodeURIComponent(value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'));
}

/** Decodes a value written by `encodeTrustedHeader`; undefined when it is not valid percent-encoding. */
export function decodeTrustedHeader(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/** Kafka header carrying the contract's message id (the consumers' inbox key). */
export const MESSAGE_ID_HEADER = 'message-id';

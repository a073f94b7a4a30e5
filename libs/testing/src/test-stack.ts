/**
 * Where the test stack runs. scripts/test.sh starts it on its own ports, data folder and
 * database so `npm test` never collides with a running `npm start`; these defaults match.
 * TEST_PORT_OFFSET (default 10000) moves it, as it moves scripts/stack.sh's test profile.
 */
const offset = Number(process.env.TEST_PORT_OFFSET ?? 10000);
const port = (base: number): number => base + offset;
const databaseName = offset === 10000 ? 'incident_sync_test' : `incident_sync_test_${offset}`;

export const testStack = {
  gatewayUrl: process.env.TEST_GATEWAY_URL ?? `http://127.0.0.1:${port(8080)}`,
  simulatorUrl: process.env.TEST_SIMULATOR_URL ?? `http://127.0.0.1:${port(8090)}`,
  kafkaBrokers: (process.env.TEST_KAFKA_BROKERS ?? `127.0.0.1:${port(9092)}`).split(','),
  databaseUrl: process.env.TEST_DATABASE_URL ?? `postgres://postgres@127.0.0.1:5432/${databaseName}`,
  // The test profile's fixed secrets (scripts/stack.sh): 32+ bytes, as every service requires.
  adminApiKey: process.env.TEST_ADMIN_API_KEY ?? 'test-admin-cb7cb2927d9956d904a0e8bb0adfc0134bb9a2de',
  internalToken: process.env.TEST_INTERNAL_TOKEN ?? 'test-internal-9cc829265f5932b824b474e520474df7e797b810',
  encryptionKey: process.env.TEST_ENCRYPTION_KEY ?? 'IINRiKQzNmjYoV9TNGz8ZiiOybwrG4aeir1QFP5Xi08=',
  /** What the test gateway attaches to forwarded public traffic (scripts/stack.sh test profile). */
  gatewayToken: process.env.TEST_GATEWAY_TOKEN ?? 'test-gateway-5f0d7c1e93a24b6f8e2d41c07a9b3e6d52f18c4a',
  serviceUrl: (p: number): string => `http://127.0.0.1:${p}`,
};

/** Test-stack ports: the product's defaults + TEST_PORT_OFFSET (10000). */
export const TEST_PORTS = {
  gateway: port(8080),
  'integration-config': port(8081),
  incidents: port(8082),
  'webhook-ingress': port(8083),
  'sync-engine': port(8084),
  'outbound-dispatcher': port(8085),
  'dlq-manager': port(8086),
  'pagerduty-sim': port(8090),
} as const;

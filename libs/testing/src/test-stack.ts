/**
 * Where the test stack runs. scripts/test.sh starts it on its own ports, data folder and
 * database so `npm test` never collides with a running `npm start`; these defaults match.
 */
export const testStack = {
  gatewayUrl: process.env.TEST_GATEWAY_URL ?? 'http://127.0.0.1:18080',
  simulatorUrl: process.env.TEST_SIMULATOR_URL ?? 'http://127.0.0.1:18090',
  kafkaBrokers: (process.env.TEST_KAFKA_BROKERS ?? '127.0.0.1:19092').split(','),
  databaseUrl: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/incident_sync_test',
  adminApiKey: process.env.TEST_ADMIN_API_KEY ?? 'test-admin-key-0123456789abcdef',
  internalToken: process.env.TEST_INTERNAL_TOKEN ?? 'test-internal-token-0123456789',
  serviceUrl: (port: number): string => `http://127.0.0.1:${port}`,
};

/** Test-stack ports: the product's defaults + 10000. */
export const TEST_PORTS = {
  gateway: 18080,
  'integration-config': 18081,
  incidents: 18082,
  'webhook-ingress': 18083,
  'sync-engine': 18084,
  'outbound-dispatcher': 18085,
  'dlq-manager': 18086,
  'pagerduty-sim': 18090,
} as const;

import { ApiClient, TEST_PORTS, testStack } from '@incident-sync/testing';

const SERVICES = ['integration-config', 'incidents', 'webhook-ingress', 'sync-engine', 'outbound-dispatcher', 'dlq-manager'];

describe('the running product', () => {
  it('reports every service ready through the gateway', async () => {
    const response = await new ApiClient(testStack.gatewayUrl).get('/health/ready');
    expect(response.status).toBe(200);
    expect(response.body.status).toBe('ready');
    for (const service of SERVICES) expect(response.body.checks[service]).toEqual({ ok: true });
  });

  it('answers 401 with a code and no detail for a call without an API key, and 401 for a wrong key', async () => {
    const anonymous = await new ApiClient(testStack.gatewayUrl).get('/api/v1/integrations');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('UNAUTHENTICATED');
    const wrong = await new ApiClient(testStack.gatewayUrl, 'isk_not-a-real-key').get('/api/v1/incidents');
    expect(wrong.status).toBe(401);
  });

  it('answers 404 with a code for a path no service owns', async () => {
    const response = await new ApiClient(testStack.gatewayUrl, testStack.adminApiKey).get('/api/v1/nothing-here');
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('NOT_FOUND');
  });

  it('refuses a request that bypasses the gateway, so a caller cannot choose its organization', async () => {
    const direct = await fetch(`http://127.0.0.1:${TEST_PORTS.incidents}/api/v1/incidents`, { headers: { 'x-incident-sync-org': 'someone-else' } });
    expect(direct.status).toBe(401);
  });

  it('serves the PagerDuty simulator on its own port', async () => {
    const response = await fetch(`${testStack.simulatorUrl}/health/ready`);
    expect(response.status).toBe(200);
  });
});

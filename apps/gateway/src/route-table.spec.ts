import { routeFor } from './route-table';

describe('gateway route table', () => {
  it.each([
    ['/api/v1/integrations', 'integration-config'],
    ['/api/v1/integrations/prod-pd/field-ownership', 'integration-config'],
    ['/api/v1/integrations/prod-pd/links', 'sync-engine'],
    ['/api/v1/integrations/prod-pd/sync-status', 'sync-engine'],
    ['/api/v1/integrations/prod-pd/activity', 'sync-engine'],
    ['/api/v1/integrations/prod-pd/dlq/abc/replay', 'dlq-manager'],
    ['/api/v1/incidents/1234/timeline', 'incidents'],
    ['/api/v1/webhooks/abc', 'webhook-ingress'],
    ['/api/v1/conflicts', 'sync-engine'],
    ['/api/v1/dlq', 'dlq-manager'],
  ])('routes %s to %s', (path, upstream) => {
    expect(routeFor(path)?.upstream).toBe(upstream);
  });

  it('does not route unknown paths or look-alike prefixes', () => {
    expect(routeFor('/api/v1/incidentsx')).toBeUndefined();
    expect(routeFor('/api/v2/incidents')).toBeUndefined();
  });

  it('marks only webhooks as public (signature-authenticated)', () => {
    expect(routeFor('/api/v1/webhooks/x')?.public).toBe(true);
    expect(routeFor('/api/v1/integrations')?.public).toBeUndefined();
    expect(routeFor('/api/v1/webhooks/x/test')?.public).toBeUndefined();
  });
});

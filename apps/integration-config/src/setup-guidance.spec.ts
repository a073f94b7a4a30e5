import { setupGuidance, webhookUrlOf } from './setup-guidance';

const ID = '0b6f1c1e-6d0b-4c55-9a57-1f0f8b0f2a10';
const integration = (over: Partial<Parameters<typeof setupGuidance>[0]> = {}): Parameters<typeof setupGuidance>[0] => ({
  id: ID, slug: 'production-pagerduty', syncDirection: 'bidirectional', fromEmail: null, defaultServiceId: null, unmappedServices: 'create', defaultIncidentType: null, ...over,
});
const missing = (g: ReturnType<typeof setupGuidance>): string[] => g.next_steps.map((s) => s.missing);

describe('setupGuidance (what `im integration configure` prints next)', () => {
  it('a new bidirectional integration lacks a signing secret, a From user, a service mapping and a default service, each with its exact command', () => {
    const g = setupGuidance(integration(), { webhookSecrets: 0, serviceMappings: 0 }, 'https://sync.example.com/');
    expect(g.webhook_url).toBe(`https://sync.example.com/api/v1/webhooks/${ID}`);
    expect(missing(g)).toEqual(['webhook_secret', 'from_email', 'service_mapping', 'default_service']);
    expect(g.next_steps.map((s) => s.command)).toEqual([
      'im integration configure production-pagerduty --create-webhook',
      'im integration configure production-pagerduty --from-email <pagerduty-user-email>',
      'im integration service-mapping add production-pagerduty --pd-service <PagerDuty service id> --incident-type <incident type>',
      'im integration configure production-pagerduty --default-service <PagerDuty service id>',
    ]);
    expect(g.next_steps[0]?.message).toContain(g.webhook_url);
  });

  it('asks only for what the direction needs', () => {
    expect(missing(setupGuidance(integration({ syncDirection: 'inbound' }), { webhookSecrets: 0, serviceMappings: 0 }, 'https://s'))).toEqual(['webhook_secret', 'service_mapping']);
    expect(missing(setupGuidance(integration({ syncDirection: 'outbound' }), { webhookSecrets: 0, serviceMappings: 0 }, 'https://s'))).toEqual(['from_email', 'default_service']);
    expect(missing(setupGuidance(integration({ syncDirection: 'none' }), { webhookSecrets: 0, serviceMappings: 0 }, 'https://s'))).toEqual([]);
  });

  it('nothing is missing once secret, From, mapping and default service are there', () => {
    const g = setupGuidance(integration({ fromEmail: 'bot@example.com', defaultServiceId: 'PSVC001' }), { webhookSecrets: 1, serviceMappings: 1 }, 'https://s');
    expect(g.next_steps).toEqual([]);
  });

  it('says what happens to unmapped services under each setting', () => {
    const created = setupGuidance(integration({ defaultIncidentType: 'triage' }), { webhookSecrets: 1, serviceMappings: 0 }, 'https://s');
    expect(created.next_steps.find((s) => s.missing === 'service_mapping')?.message).toContain('with incident type triage');
    const ignored = setupGuidance(integration({ unmappedServices: 'ignore' }), { webhookSecrets: 1, serviceMappings: 0 }, 'https://s');
    expect(ignored.next_steps.find((s) => s.missing === 'service_mapping')?.message).toContain('IGNORED');
  });

  it('builds the webhook URL under a base path', () => {
    expect(webhookUrlOf('https://example.org/sync//', ID)).toBe(`https://example.org/sync/api/v1/webhooks/${ID}`);
  });
});

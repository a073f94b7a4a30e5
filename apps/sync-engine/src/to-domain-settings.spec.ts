import type { IntegrationRuntimeConfig } from '@incident-sync/integration-config-client';
import { pagerDutyCreateTarget, pagerDutyServiceFor, serviceMappingOf, toIntegrationSettings } from './to-domain-settings';

const config = (over: Partial<IntegrationRuntimeConfig> = {}): IntegrationRuntimeConfig => ({
  id: 'int-1', organizationId: 'org', slug: 'prod-pd', name: 'PD', type: 'pagerduty', baseUrl: 'https://api.pagerduty.com', token: 't', webhookSecrets: [],
  fromEmail: 'bot@example.com', botUserId: 'PBOT1', syncDirection: 'bidirectional', enabled: true, conflictStrategy: 'manual-review', syncEscalations: true,
  rateLimitPerMinute: 120, backoffMultiplier: 2, reconcileIntervalSeconds: 300, reconcileBudgetPercent: 10, priorityMapping: { P1: 'SEV-1' }, defaultServiceId: null, unmappedServices: 'create', defaultIncidentType: null,
  fieldOwnership: [{ field: 'title', owner: 'external', priority: 7, authoritative: false }, { field: 'assigned_to', owner: 'external', priority: 0, authoritative: true }],
  serviceMappings: [{ pdServiceId: 'PSVC1', incidentType: 'infrastructure' }],
  userMappings: [{ email: 'Alice@Example.com', pdUserId: 'PALICE' }],
  version: 1, updatedAt: '2026-11-26T12:00:00.000Z', ...over,
});

describe('integration config → sync-domain settings', () => {
  it('configured user mappings override users found in PagerDuty; ownership rules override the defaults', () => {
    const settings = toIntegrationSettings(config(), [{ email: 'alice@example.com', pagerDutyUserId: 'POTHER' }, { email: 'bob@example.com', pagerDutyUserId: 'PBOB' }]);
    expect(settings.userMapping.emailToPagerDuty).toEqual({ 'alice@example.com': 'PALICE', 'bob@example.com': 'PBOB' });
    expect(settings.userMapping.pagerDutyToEmail['PBOB']).toBe('bob@example.com');
    expect(settings.fieldOwnership?.title).toEqual({ owner: 'external', priority: 7 });
    expect(settings.fieldOwnership?.status).toEqual({ owner: 'platform', priority: 0 });
    expect(settings.fieldOwnership?.assigned_to).toEqual({ owner: 'external', priority: 0, authoritative: true });
    expect(settings).toMatchObject({ botUserId: 'PBOT1', conflictStrategy: 'manual-review', syncEscalations: true, direction: 'bidirectional' });
  });

  it('a new incident goes to the service its type maps to, else the default service, else nowhere', () => {
    expect(pagerDutyServiceFor(config(), 'infrastructure')).toBe('PSVC1');
    expect(pagerDutyServiceFor(config(), 'other')).toBeNull();
    expect(pagerDutyServiceFor(config({ defaultServiceId: 'PDEF' }), 'other')).toBe('PDEF');
    expect(serviceMappingOf(config())).toEqual({ PSVC1: 'infrastructure' });
  });

  it('the create target (live creates and the outbound backfill) names the service, or says why there is none', () => {
    expect(pagerDutyCreateTarget(config(), 'infrastructure')).toEqual({ serviceId: 'PSVC1', reason: null });
    expect(pagerDutyCreateTarget(config({ defaultServiceId: 'PDEF' }), null)).toEqual({ serviceId: 'PDEF', reason: null });
    expect(pagerDutyCreateTarget(config(), 'other')).toEqual({ serviceId: null, reason: expect.stringContaining('incident type other maps to no PagerDuty service') });
    expect(pagerDutyCreateTarget(config(), null).reason).toContain('incident type (none)');
  });
});

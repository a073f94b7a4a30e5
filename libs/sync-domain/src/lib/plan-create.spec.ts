import { acknowledgeWrite } from './acknowledge-write';
import { decideInbound } from './decide-inbound';
import { planCreateInPagerDuty } from './plan-create-in-pagerduty';
import { planCreateOnPlatform } from './plan-create-on-platform';
import { BOT, T0, externalValues, pagerDutyEvent, platformValues, settings } from '../testing/sync-builders';

describe('planCreateInPagerDuty', () => {
  it('given a new SEV-1 platform incident assigned to Ann, then PagerDuty gets title, urgency, priority, details and Ann (no escalation policy: they are exclusive)', () => {
    const plan = planCreateInPagerDuty(
      { linkId: 'link-9', incidentKey: 'platform-incident-9', incident: { version: 1, occurredAt: T0, fields: platformValues({ severity: 'SEV-1' }) } },
      settings(),
      T0 + 1,
    );
    expect(plan.command).toEqual({
      commandId: 'link-9/1',
      incidentKey: 'platform-incident-9',
      title: 'Checkout latency',
      urgency: 'high',
      priority: 'P1',
      details: 'p99 above 2s',
      assigneeId: 'PANN001',
      escalationPolicyId: null,
      followUp: null,
    });
  });

  it('given a mitigated platform incident, then PagerDuty creates it triggered and a follow-up acknowledges it', () => {
    const plan = planCreateInPagerDuty({ linkId: 'l', incidentKey: 'platform-incident-l', incident: { version: 1, occurredAt: T0, fields: platformValues({ status: 'mitigated' }) } }, settings(), T0);
    expect(plan.command?.followUp).toEqual({ status: 'acknowledged' });
  });

  it('given an assignee with no PagerDuty user, then the escalation policy is sent instead and the decision says "unknown user"', () => {
    const plan = planCreateInPagerDuty({ linkId: 'l', incidentKey: 'platform-incident-l', incident: { version: 1, occurredAt: T0, fields: platformValues({ assigned_to: 'zoe@example.com' }) } }, settings(), T0);
    expect(plan.command).toMatchObject({ assigneeId: null, escalationPolicyId: 'PEP0001' });
    expect(plan.decisions.map((d) => d.outcome)).toContain('unknown-user');
  });

  it('given an inbound-only integration, then nothing is created on PagerDuty', () => {
    const plan = planCreateInPagerDuty({ linkId: 'l', incidentKey: 'platform-incident-l', incident: { version: 1, occurredAt: T0, fields: platformValues() } }, settings({ direction: 'inbound' }), T0);
    expect(plan).toMatchObject({ command: null, state: null, decisions: [{ outcome: 'not-created' }] });
  });

  it('given the create was confirmed, when PagerDuty’s own incident.triggered (by our bot) comes back, then nothing is written anywhere', () => {
    const config = settings();
    const plan = planCreateInPagerDuty({ linkId: 'l', incidentKey: 'platform-incident-l', incident: { version: 1, occurredAt: T0, fields: platformValues() } }, config, T0);
    if (plan.state === null || plan.command === null) throw new Error('expected a plan');
    const acked = acknowledgeWrite(plan.state, { side: 'external', commandId: plan.command.commandId, stamp: T0 + 5 }, config, T0 + 6);
    const echo = decideInbound(acked.state, pagerDutyEvent('incident.triggered', externalValues(), { at: T0 + 5, agent: BOT }), config, T0 + 7);
    expect(echo.platformWrite).toBeNull();
    expect(echo.externalWrite).toBeNull();
  });
});

describe('after creating on PagerDuty', () => {
  it.each([
    ['before', true],
    ['after', false],
  ])('given we created an unassigned incident, when our incident.triggered (arriving %s the create is confirmed) shows the on-call user PagerDuty picked, then the platform takes that assignee', (_when, echoFirst) => {
    const config = settings();
    const plan = planCreateInPagerDuty({ linkId: 'l', incidentKey: 'platform-incident-l', incident: { version: 1, occurredAt: T0, fields: platformValues({ assigned_to: null }) } }, config, T0);
    if (plan.state === null || plan.command === null) throw new Error('expected a plan');
    const ack = { side: 'external' as const, commandId: plan.command.commandId, stamp: T0 + 5 };
    const echo = pagerDutyEvent('incident.triggered', externalValues({ assigned_to: 'PCY0003' }), { at: T0 + 5, agent: BOT });
    const first = echoFirst ? decideInbound(plan.state, echo, config, T0 + 6) : acknowledgeWrite(plan.state, ack, config, T0 + 6);
    const second = echoFirst ? acknowledgeWrite(first.state, ack, config, T0 + 7) : decideInbound(first.state, echo, config, T0 + 7);
    const written = [first.platformWrite?.set, second.platformWrite?.set].filter((set) => set !== undefined);
    expect(written).toEqual([{ assigned_to: 'cy@example.com' }]);
    expect(first.externalWrite ?? second.externalWrite).toBeNull();
  });
});

describe('planCreateOnPlatform', () => {
  const services = { PSVC001: 'service-outage' };

  it('given a PagerDuty incident on a mapped service, then a platform incident of that type is created with mapped values', () => {
    const triggered = pagerDutyEvent('incident.triggered', externalValues({ severity: { urgency: 'high', priority: 'P1' }, assigned_to: 'PBOB002' }), { at: T0 });
    const plan = planCreateOnPlatform({ linkId: 'link-7', change: triggered }, settings(), services, T0 + 1);
    expect(plan.command).toEqual({
      commandId: 'link-7/1',
      incidentType: 'service-outage',
      pagerDutyIncidentId: 'PINC001',
      fields: {
        title: 'Checkout latency',
        description: null,
        severity: 'SEV-1',
        status: 'open',
        assigned_to: 'bob@example.com',
        escalation_policy: 'PEP0001',
      },
      labels: { escalationPolicyName: 'Policy PEP0001', assigneeName: 'PBOB002' },
    });
  });

  it('given a PagerDuty service that is not mapped to an incident type, then by default a platform incident with no type is created and the reason names the service', () => {
    const triggered = pagerDutyEvent('incident.triggered', externalValues(), { at: T0 });
    const plan = planCreateOnPlatform({ linkId: 'l', change: triggered }, settings(), {}, T0);
    expect(plan.command).toMatchObject({ incidentType: null, pagerDutyIncidentId: 'PINC001', fields: { title: 'Checkout latency' } });
    expect(plan.state).not.toBeNull();
    expect(plan.decisions[0]).toMatchObject({ outcome: 'created' });
    expect(plan.decisions[0]?.reason).toContain('with no incident type');
    expect(plan.decisions[0]?.reason).toContain('PagerDuty service PSVC001 is not mapped to an incident type');
  });

  it('given an unmapped service and a default incident type, then the platform incident gets that type; a mapped service keeps its own', () => {
    const policy = { action: 'create' as const, incidentType: 'triage' };
    const unmapped = planCreateOnPlatform({ linkId: 'l', change: pagerDutyEvent('incident.triggered', externalValues(), { at: T0 }) }, settings(), {}, T0, policy);
    expect(unmapped.command?.incidentType).toBe('triage');
    expect(unmapped.decisions[0]?.reason).toContain('of the default type triage');
    const mapped = planCreateOnPlatform({ linkId: 'l', change: pagerDutyEvent('incident.triggered', externalValues(), { at: T0 }) }, settings(), services, T0, policy);
    expect(mapped.command?.incidentType).toBe('service-outage');
  });

  it('given unmapped_services=ignore, then an unmapped service creates nothing and the reason says so, while a mapped one still creates', () => {
    const policy = { action: 'ignore' as const, incidentType: 'triage' };
    const ignored = planCreateOnPlatform({ linkId: 'l', change: pagerDutyEvent('incident.triggered', externalValues(), { at: T0 }) }, settings(), {}, T0, policy);
    expect(ignored).toMatchObject({ command: null, state: null, decisions: [{ outcome: 'not-created' }] });
    expect(ignored.decisions[0]?.reason).toContain('PagerDuty service PSVC001 is not mapped to an incident type and the integration ignores unmapped services');
    const mapped = planCreateOnPlatform({ linkId: 'l', change: pagerDutyEvent('incident.triggered', externalValues(), { at: T0 }) }, settings(), services, T0, policy);
    expect(mapped.command?.incidentType).toBe('service-outage');
  });

  it('given a PagerDuty incident created by our own bot, then no platform incident is created (it already mirrors one)', () => {
    const triggered = pagerDutyEvent('incident.triggered', externalValues(), { at: T0, agent: BOT });
    const plan = planCreateOnPlatform({ linkId: 'l', change: triggered }, settings(), services, T0);
    expect(plan.command).toBeNull();
    expect(plan.decisions[0]?.outcome).toBe('echo');
  });

  it('given the platform incident was created, when its creation comes back with origin = this integration, then nothing is sent to PagerDuty', () => {
    const config = settings();
    const plan = planCreateOnPlatform({ linkId: 'l', change: pagerDutyEvent('incident.triggered', externalValues(), { at: T0 }) }, config, services, T0);
    if (plan.state === null || plan.command === null) throw new Error('expected a plan');
    const acked = acknowledgeWrite(plan.state, { side: 'platform', commandId: plan.command.commandId, stamp: 1 }, config, T0 + 1);
    expect(acked.state.fields.title.agreed).toMatchObject({ platform: 'Checkout latency', external: 'Checkout latency' });
    expect(acked.externalWrite).toBeNull();
  });
});

import { decideOutbound } from './decide-outbound';
import { descriptionNote } from './description-note';
import {
  T0,
  linkedState,
  ourPlatformEcho,
  settings,
  userChange,
} from '../testing/sync-builders';

describe('decideOutbound (platform → PagerDuty)', () => {
  it('given incidents in sync, when someone raises the severity to SEV-1 on the platform, then PagerDuty gets high urgency and priority P1', () => {
    const decision = decideOutbound(linkedState(), userChange(2, T0 + 10, { severity: { old: 'SEV-2', new: 'SEV-1' } }), settings(), T0 + 20);
    expect(decision.externalWrite?.update).toEqual({ urgency: 'high', priority: 'P1' });
    expect(decision.platformWrite).toBeNull();
    expect(decision.decisions).toEqual([
      expect.objectContaining({ field: 'severity', side: 'platform', outcome: 'applied' }),
    ]);
    expect(decision.decisions[0]?.reason).toBe(
      'The platform changed severity to SEV-1 at 2025-03-01T10:00:00.010Z by alice@example.com; it is copied to PagerDuty.',
    );
  });

  it('given incidents in sync, when someone mitigates the platform incident, then PagerDuty is acknowledged', () => {
    const decision = decideOutbound(linkedState(), userChange(2, T0 + 10, { status: { old: 'open', new: 'mitigated' } }), settings(), T0 + 20);
    expect(decision.externalWrite?.update).toEqual({ status: 'acknowledged' });
  });

  it('given a resolved incident on both sides, when the platform closes it, then nothing is written to PagerDuty (closed is resolved there)', () => {
    const state = linkedState(settings(), { platform: { status: 'resolved' }, external: { status: 'resolved' } });
    const decision = decideOutbound(state, userChange(2, T0 + 10, { status: { old: 'resolved', new: 'closed' } }), settings(), T0 + 20);
    expect(decision.externalWrite).toBeNull();
    expect(decision.decisions[0]?.outcome).toBe('applied');
  });

  it('given incidents in sync, when the description changes on the platform, then a note is posted on PagerDuty (there is no description field)', () => {
    const decision = decideOutbound(linkedState(), userChange(2, T0 + 10, { description: { old: 'p99 above 2s', new: 'DB failover' } }), settings(), T0 + 20);
    expect(decision.externalWrite).toEqual({ commandId: 'link-1/1', update: {}, note: descriptionNote('DB failover') });
  });

  it('given incidents in sync, when the platform assigns Bob, then PagerDuty is assigned Bob through the user mapping', () => {
    const decision = decideOutbound(linkedState(), userChange(2, T0 + 10, { assigned_to: { old: 'ann@example.com', new: 'bob@example.com' } }), settings(), T0 + 20);
    expect(decision.externalWrite?.update).toEqual({ assigneeId: 'PBOB002' });
  });

  it('given a user with no PagerDuty account, when the platform assigns them, then nothing is sent and the outcome says "unknown user"', () => {
    const decision = decideOutbound(linkedState(), userChange(2, T0 + 10, { assigned_to: { old: 'ann@example.com', new: 'zoe@example.com' } }), settings(), T0 + 20);
    expect(decision.externalWrite).toBeNull();
    expect(decision.decisions[0]).toMatchObject({ outcome: 'unknown-user' });
    expect(decision.decisions[0]?.reason).toContain('zoe@example.com has no PagerDuty user in the user mapping');
  });

  it('given our own write applied on the platform, when its change comes back (origin = this integration), then nothing is written', () => {
    const decision = decideOutbound(linkedState(), ourPlatformEcho(2, T0 + 10, { title: { old: 'Checkout latency', new: 'Checkout down' } }), settings(), T0 + 20);
    expect(decision.externalWrite).toBeNull();
    expect(decision.decisions[0]?.outcome).toBe('echo');
  });

  it('given a change written by another integration, when it comes back, then it is treated as a platform change and sent to PagerDuty', () => {
    const change = { ...userChange(2, T0 + 10, { title: { old: 'Checkout latency', new: 'Checkout down' } }), origin: { type: 'integration' as const, integrationId: 'int-2' } };
    const decision = decideOutbound(linkedState(), change, settings(), T0 + 20);
    expect(decision.externalWrite?.update).toEqual({ title: 'Checkout down' });
  });

  it('given version 3 was processed, when version 2 arrives late, then it is stale and nothing is written', () => {
    const first = decideOutbound(linkedState(), userChange(3, T0 + 20, { title: { old: 'A', new: 'Checkout down' } }), settings(), T0 + 30);
    const late = decideOutbound(first.state, userChange(2, T0 + 10, { title: { old: 'Checkout latency', new: 'A' } }), settings(), T0 + 40);
    expect(late.externalWrite).toBeNull();
    expect(late.decisions[0]?.outcome).toBe('stale');
  });

  it('given a change was processed, when the same change is delivered again, then nothing more is written', () => {
    const change = userChange(2, T0 + 10, { title: { old: 'Checkout latency', new: 'Checkout down' } });
    const first = decideOutbound(linkedState(), change, settings(), T0 + 20);
    const again = decideOutbound(first.state, change, settings(), T0 + 30);
    expect(again.externalWrite).toBeNull();
    expect(again.decisions[0]?.outcome).toBe('stale');
  });

  it.each([
    ['inbound-only', settings({ direction: 'inbound' }), 'direction-blocked'],
    ['set to no direction', settings({ direction: 'none' }), 'sync-paused'],
    ['disabled', settings({ enabled: false }), 'sync-paused'],
  ] as const)('given an integration that is %s, when the platform changes the title, then PagerDuty is never written', (_what, config, outcome) => {
    const decision = decideOutbound(linkedState(config), userChange(2, T0 + 10, { title: { old: 'Checkout latency', new: 'Checkout down' } }), config, T0 + 20);
    expect(decision.externalWrite).toBeNull();
    expect(decision.platformWrite).toBeNull();
    expect(decision.decisions[0]?.outcome).toBe(outcome);
  });

  it('given escalation sync is off, when the platform changes the escalation policy, then nothing is sent', () => {
    const config = settings({ syncEscalations: false });
    const decision = decideOutbound(linkedState(config), userChange(2, T0 + 10, { escalation_policy: { old: 'PEP0001', new: 'PEP0002' } }), config, T0 + 20);
    expect(decision.externalWrite).toBeNull();
    expect(decision.decisions[0]?.outcome).toBe('field-not-synced');
  });

  it('given any decision, then the input state is not modified and the next state survives a JSON round trip', () => {
    const state = linkedState();
    const snapshot = JSON.stringify(state);
    const decision = decideOutbound(state, userChange(2, T0 + 10, { title: { old: 'Checkout latency', new: 'X' } }), settings(), T0 + 20);
    expect(JSON.stringify(state)).toBe(snapshot);
    expect(JSON.parse(JSON.stringify(decision.state))).toEqual(decision.state);
  });
});

import { decideInbound } from './decide-inbound';
import { decideOutbound } from './decide-outbound';
import { descriptionNote } from './description-note';
import { parsePagerDutyEvent } from './parse-pagerduty-event';
import {
  BOT,
  PRIORITY_MAPPING,
  T0,
  externalValues,
  linkedState,
  noteWebhook,
  pagerDutyEvent,
  settings,
  userChange,
} from '../testing/sync-builders';

describe('decideInbound (PagerDuty → platform)', () => {
  it('given an open incident in sync, when someone acknowledges it on PagerDuty, then the platform incident becomes mitigated', () => {
    const event = pagerDutyEvent('incident.acknowledged', externalValues({ status: 'acknowledged' }), { at: T0 + 10 });
    const decision = decideInbound(linkedState(), event, settings(), T0 + 20);
    expect(decision.platformWrite?.set).toEqual({ status: 'mitigated' });
    expect(decision.externalWrite).toBeNull();
    expect(decision.decisions[0]?.reason).toBe(
      'PagerDuty changed status to acknowledged (platform: mitigated) at 2025-03-01T10:00:00.010Z by User PHUMAN1; it is copied to the platform.',
    );
  });

  it('given a closed platform incident, when PagerDuty reports it resolved, then it stays closed and nothing is written', () => {
    const state = linkedState(settings(), { platform: { status: 'closed' }, external: { status: 'resolved' } });
    const event = pagerDutyEvent('incident.resolved', externalValues({ status: 'resolved' }), { at: T0 + 10 });
    const decision = decideInbound(state, event, settings(), T0 + 20);
    expect(decision.platformWrite).toBeNull();
  });

  it('given a mitigated incident, when PagerDuty resolves it, then the platform incident is resolved', () => {
    const state = linkedState(settings(), { platform: { status: 'mitigated' }, external: { status: 'acknowledged' } });
    const decision = decideInbound(state, pagerDutyEvent('incident.resolved', externalValues({ status: 'resolved' }), { at: T0 + 10 }), settings(), T0 + 20);
    expect(decision.platformWrite?.set).toEqual({ status: 'resolved' });
  });

  it.each(['incident.reopened', 'incident.unacknowledged'])('given a mitigated incident, when PagerDuty sends %s (status triggered), then the platform incident is open again', (type) => {
    const state = linkedState(settings(), { platform: { status: 'mitigated' }, external: { status: 'acknowledged' } });
    const decision = decideInbound(state, pagerDutyEvent(type, externalValues({ status: 'triggered' }), { at: T0 + 10 }), settings(), T0 + 20);
    expect(decision.platformWrite?.set).toEqual({ status: 'open' });
  });

  it('given a SEV-2 incident, when PagerDuty sets priority P1, then the platform becomes SEV-1 (and the urgency is already high)', () => {
    const event = pagerDutyEvent('incident.priority_updated', externalValues({ severity: { urgency: 'high', priority: 'P1' } }), { at: T0 + 10 });
    const decision = decideInbound(linkedState(), event, settings(), T0 + 20);
    expect(decision.platformWrite?.set).toEqual({ severity: 'SEV-1' });
    expect(decision.externalWrite).toBeNull();
  });

  it('given a SEV-2 incident with low-severity priority P4 set on PagerDuty, then the platform becomes SEV-4 and PagerDuty urgency is re-aligned to low', () => {
    const event = pagerDutyEvent('incident.priority_updated', externalValues({ severity: { urgency: 'high', priority: 'P4' } }), { at: T0 + 10 });
    const decision = decideInbound(linkedState(), event, settings(), T0 + 20);
    expect(decision.platformWrite?.set).toEqual({ severity: 'SEV-4' });
    expect(decision.externalWrite?.update).toEqual({ urgency: 'low', priority: 'P4' });
  });

  it('given a SEV-4 incident with P4, when PagerDuty switches to P5 (also SEV-4), then nothing changes', () => {
    const state = linkedState(settings(), { platform: { severity: 'SEV-4' }, external: { severity: { urgency: 'low', priority: 'P4' } } });
    const event = pagerDutyEvent('incident.priority_updated', externalValues({ severity: { urgency: 'low', priority: 'P5' } }), { at: T0 + 10 });
    const decision = decideInbound(state, event, settings(), T0 + 20);
    expect(decision.platformWrite).toBeNull();
    expect(decision.externalWrite).toBeNull();
    expect(decision.decisions[0]?.outcome).toBe('no-change');
  });

  it('given a title edit on PagerDuty (which has no webhook), when the next webhook shows the new title in its snapshot, then the platform gets it', () => {
    const event = pagerDutyEvent('incident.acknowledged', externalValues({ title: 'Checkout down', status: 'acknowledged' }), { at: T0 + 10 });
    const decision = decideInbound(linkedState(), event, settings(), T0 + 20);
    expect(decision.platformWrite?.set).toEqual({ title: 'Checkout down', status: 'mitigated' });
  });

  it('given Ann is assigned, when PagerDuty reassigns to Bob, then the platform is assigned bob@example.com', () => {
    const event = pagerDutyEvent('incident.reassigned', externalValues({ assigned_to: 'PBOB002' }), { at: T0 + 10 });
    const decision = decideInbound(linkedState(), event, settings(), T0 + 20);
    expect(decision.platformWrite?.set).toEqual({ assigned_to: 'bob@example.com' });
    expect(decision.platformWrite?.labels).toEqual({ assigneeName: 'PBOB002' });
  });

  it('given a PagerDuty user outside the user mapping, when the incident is reassigned to them, then nothing is guessed and the outcome says "unknown user"', () => {
    const event = pagerDutyEvent('incident.reassigned', externalValues({ assigned_to: 'PSTRANGER' }), { at: T0 + 10 });
    const decision = decideInbound(linkedState(), event, settings(), T0 + 20);
    expect(decision.platformWrite).toBeNull();
    expect(decision.decisions[0]).toMatchObject({ field: 'assigned_to', outcome: 'unknown-user' });
    expect(decision.decisions[0]?.reason).toContain('PSTRANGER is not in the user mapping');
  });

  it('given a delegation to another escalation policy, then the platform gets the policy id, its name and a timeline entry', () => {
    const event = pagerDutyEvent('incident.delegated', externalValues({ escalation_policy: 'PEP0002' }), { at: T0 + 10 });
    const decision = decideInbound(linkedState(), event, settings(), T0 + 20);
    expect(decision.platformWrite?.set).toEqual({ escalation_policy: 'PEP0002' });
    expect(decision.platformWrite?.labels.escalationPolicyName).toBe('Policy PEP0002');
    expect(decision.timeline.map((e) => e.kind)).toEqual(['delegated']);
  });

  it('given escalation sync is off, when PagerDuty escalates or delegates, then neither the policy nor a timeline entry is copied', () => {
    const config = settings({ syncEscalations: false });
    const escalated = pagerDutyEvent('incident.escalated', externalValues(), { at: T0 + 10 });
    const delegated = pagerDutyEvent('incident.delegated', externalValues({ escalation_policy: 'PEP0002' }), { at: T0 + 11 });
    const first = decideInbound(linkedState(config), escalated, config, T0 + 20);
    const second = decideInbound(first.state, delegated, config, T0 + 21);
    expect([first.timeline, second.timeline]).toEqual([[], []]);
    expect(second.platformWrite).toBeNull();
  });

  it('given a note someone adds on PagerDuty, then it goes to the platform timeline', () => {
    const change = parsePagerDutyEvent(noteWebhook('Rolled back deploy 42', { at: T0 + 10, noteId: 'PN1' }), PRIORITY_MAPPING);
    const decision = decideInbound(linkedState(), change, settings(), T0 + 20);
    expect(decision.timeline).toEqual([expect.objectContaining({ kind: 'note', text: 'Rolled back deploy 42', dedupeKey: 'pagerduty-note:PN1' })]);
  });

  it('given we posted a description note, when its incident.annotated comes back (even without a bot user), then it is not copied to the timeline', () => {
    const config = settings({ botUserId: null });
    const posted = decideOutbound(linkedState(config), userChange(2, T0 + 5, { description: { old: 'p99 above 2s', new: 'DB failover' } }), config, T0 + 6);
    const echo = parsePagerDutyEvent(noteWebhook(descriptionNote('DB failover'), { at: T0 + 10, agent: 'PSOMEONE' }), PRIORITY_MAPPING);
    const decision = decideInbound(posted.state, echo, config, T0 + 20);
    expect(decision.timeline).toEqual([]);
    expect(decision.decisions[0]?.outcome).toBe('echo');
  });

  describe('echo suppression', () => {
    it('given we acknowledged the incident on PagerDuty, when the webhook made by our bot user comes back, then nothing is written anywhere', () => {
      const platformEdit = decideOutbound(linkedState(), userChange(2, T0 + 5, { status: { old: 'open', new: 'mitigated' } }), settings(), T0 + 6);
      expect(platformEdit.externalWrite?.update).toEqual({ status: 'acknowledged' });
      const echo = pagerDutyEvent('incident.acknowledged', externalValues({ status: 'acknowledged' }), { at: T0 + 10, agent: BOT });
      const decision = decideInbound(platformEdit.state, echo, settings(), T0 + 20);
      expect(decision.platformWrite).toBeNull();
      expect(decision.externalWrite).toBeNull();
      expect(decision.decisions[0]).toMatchObject({ field: 'status', outcome: 'echo' });
      expect(decision.state.fields.status.pending.external).toEqual([]);
    });

    it('given no bot user is configured, when PagerDuty reports exactly the value we are writing, then it is taken as our echo', () => {
      const config = settings({ botUserId: null });
      const platformEdit = decideOutbound(linkedState(config), userChange(2, T0 + 5, { status: { old: 'open', new: 'mitigated' } }), config, T0 + 6);
      const echo = pagerDutyEvent('incident.acknowledged', externalValues({ status: 'acknowledged' }), { at: T0 + 10, agent: 'PSOMEONE' });
      const decision = decideInbound(platformEdit.state, echo, config, T0 + 20);
      expect(decision.platformWrite).toBeNull();
      expect(decision.decisions[0]?.outcome).toBe('echo');
    });

    it('given a bot user is configured, when a person sets the very value we are writing, then it is their change (no conflict, nothing to copy)', () => {
      const platformEdit = decideOutbound(linkedState(), userChange(2, T0 + 5, { status: { old: 'open', new: 'mitigated' } }), settings(), T0 + 6);
      const human = pagerDutyEvent('incident.acknowledged', externalValues({ status: 'acknowledged' }), { at: T0 + 10, agent: 'PHUMAN1' });
      const decision = decideInbound(platformEdit.state, human, settings(), T0 + 20);
      expect(decision.decisions[0]?.outcome).toBe('no-change');
      expect(decision.platformWrite).toBeNull();
    });
  });

  describe('staleness', () => {
    it('given our in-flight write overwrote a person’s PagerDuty edit, when their webhook arrives after our echo, then their change is still decided (last write wins: theirs is later)', () => {
      const config = settings({ conflictStrategy: 'last-write-wins' });
      // The platform mitigates at .010; we send "acknowledged" to PagerDuty.
      const platform = decideOutbound(linkedState(config), userChange(2, T0 + 10, { status: { old: 'open', new: 'mitigated' } }), config, T0 + 11);
      // A person resolves on PagerDuty at .020; our write lands at .030 and reopens it as acknowledged.
      const person = pagerDutyEvent('incident.resolved', externalValues({ status: 'resolved' }), { at: T0 + 20 });
      const ourEcho = pagerDutyEvent('incident.acknowledged', externalValues({ status: 'acknowledged' }), { at: T0 + 30, agent: BOT });
      const echoFirst = decideInbound(platform.state, ourEcho, config, T0 + 31);
      const late = decideInbound(echoFirst.state, person, config, T0 + 32);
      expect(late.decisions[0]).toMatchObject({ field: 'status', outcome: 'conflict-won-by-external' });
      expect(late.platformWrite?.set).toEqual({ status: 'resolved' });
      expect(late.externalWrite?.update).toEqual({ status: 'resolved' });
    });

    it('given a PagerDuty note was copied to the timeline, when the same event is redelivered, then it is not copied again', () => {
      const note = parsePagerDutyEvent(noteWebhook('Rolled back', { at: T0 + 10, noteId: 'PN9' }), PRIORITY_MAPPING);
      const first = decideInbound(linkedState(), note, settings(), T0 + 20);
      const again = decideInbound(first.state, note, settings(), T0 + 30);
      expect(first.timeline).toHaveLength(1);
      expect(again.timeline).toEqual([]);
    });

    it('given a PagerDuty event at 10:00:30 was applied, when an older snapshot at 10:00:20 arrives, then its snapshot values are superseded', () => {
      const newer = pagerDutyEvent('incident.acknowledged', externalValues({ status: 'acknowledged', title: 'New title' }), { at: T0 + 30_000 });
      const older = pagerDutyEvent('incident.escalated', externalValues({ title: 'Old title' }), { at: T0 + 20_000 });
      const first = decideInbound(linkedState(), newer, settings(), T0 + 31_000);
      const second = decideInbound(first.state, older, settings(), T0 + 32_000);
      expect(second.platformWrite).toBeNull();
      expect(second.decisions.some((d) => d.field === 'title')).toBe(false);
    });

    it('given an event was processed, when PagerDuty redelivers it, then it is stale and nothing is written', () => {
      const event = pagerDutyEvent('incident.acknowledged', externalValues({ status: 'acknowledged' }), { at: T0 + 10, id: '01SAMEEVENT' });
      const first = decideInbound(linkedState(), event, settings(), T0 + 20);
      const again = decideInbound(first.state, event, settings(), T0 + 30);
      expect(again.platformWrite).toBeNull();
      expect(again.decisions).toEqual([expect.objectContaining({ outcome: 'stale' })]);
    });
  });

  it.each([
    ['outbound-only', settings({ direction: 'outbound' }), 'direction-blocked'],
    ['set to no direction', settings({ direction: 'none' }), 'sync-paused'],
    ['disabled', settings({ enabled: false }), 'sync-paused'],
  ] as const)('given an integration that is %s, when PagerDuty acknowledges, then the platform is never written', (_what, config, outcome) => {
    const event = pagerDutyEvent('incident.acknowledged', externalValues({ status: 'acknowledged' }), { at: T0 + 10 });
    const decision = decideInbound(linkedState(config), event, config, T0 + 20);
    expect(decision.platformWrite).toBeNull();
    expect(decision.externalWrite).toBeNull();
    expect(decision.decisions[0]?.outcome).toBe(outcome);
  });

  it('given an event type we do not act on, then the decision says so and the state is unchanged', () => {
    const state = linkedState();
    const ignored = { ...pagerDutyEvent('incident.acknowledged', externalValues(), { at: T0 + 10 }), classification: 'ignored' as const, note: 'not acted on' };
    const decision = decideInbound(state, ignored, settings(), T0 + 20);
    expect(decision.decisions).toEqual([{ field: null, side: 'external', outcome: 'ignored-event', reason: 'not acted on' }]);
    expect(decision.state).toEqual(state);
  });
});

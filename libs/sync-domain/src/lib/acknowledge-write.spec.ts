import { abandonWrite } from './abandon-write';
import { acknowledgeWrite } from './acknowledge-write';
import { decideInbound } from './decide-inbound';
import { decideOutbound } from './decide-outbound';
import { T0, externalValues, linkedState, pagerDutyEvent, settings, userChange } from '../testing/sync-builders';

const config = settings();

/** The platform retitled the incident; we issued a PagerDuty write (title has no webhook). */
function retitled() {
  const decision = decideOutbound(linkedState(), userChange(2, T0 + 10, { title: { old: 'Checkout latency', new: 'Checkout down' } }), config, T0 + 11);
  const commandId = decision.externalWrite?.commandId ?? '';
  return { state: decision.state, commandId };
}

describe('acknowledgeWrite', () => {
  it('given our title write is pending, when the dispatcher confirms it, then the write is no longer pending and both sides agree on the new title', () => {
    const { state, commandId } = retitled();
    const acked = acknowledgeWrite(state, { side: 'external', commandId, stamp: T0 + 15 }, config, T0 + 16);
    expect(acked.state.fields.title.pending.external).toEqual([]);
    expect(acked.state.fields.title.agreed).toEqual({ platform: 'Checkout down', external: 'Checkout down', at: T0 + 16 });
    expect(acked.decisions).toEqual([expect.objectContaining({ field: 'title', outcome: 'write-confirmed', commandId })]);
    expect(acked.platformWrite).toBeNull();
    expect(acked.externalWrite).toBeNull();
  });

  it('given a confirmed write, when the same confirmation arrives again, then nothing changes', () => {
    const { state, commandId } = retitled();
    const once = acknowledgeWrite(state, { side: 'external', commandId, stamp: T0 + 15 }, config, T0 + 16);
    const twice = acknowledgeWrite(once.state, { side: 'external', commandId, stamp: T0 + 15 }, config, T0 + 17);
    expect(twice.state).toEqual(once.state);
    expect(twice.decisions[0]?.outcome).toBe('stale');
  });

  it('given a confirmed title write, when a later webhook snapshot shows the same title, then nothing is written (no title echo loop)', () => {
    const { state, commandId } = retitled();
    const acked = acknowledgeWrite(state, { side: 'external', commandId, stamp: T0 + 15 }, config, T0 + 16);
    const later = decideInbound(acked.state, pagerDutyEvent('incident.acknowledged', externalValues({ title: 'Checkout down', status: 'acknowledged' }), { at: T0 + 20 }), config, T0 + 21);
    expect(later.platformWrite?.set).toEqual({ status: 'mitigated' });
    expect(later.externalWrite).toBeNull();
  });

  it('given our title write landed at 10:00:00.015, when a snapshot from .030 still shows the old title, then someone on PagerDuty changed it back and the platform follows', () => {
    const { state, commandId } = retitled();
    // The snapshot arrives before the confirmation: it looks like "no change" at first.
    const snapshot = decideInbound(state, pagerDutyEvent('incident.escalated', externalValues(), { at: T0 + 30 }), config, T0 + 31);
    expect(snapshot.platformWrite).toBeNull();
    const acked = acknowledgeWrite(snapshot.state, { side: 'external', commandId, stamp: T0 + 15 }, config, T0 + 32);
    expect(acked.platformWrite?.set).toEqual({ title: 'Checkout latency' });
  });

  it('given a platform write, when the incidents service confirms it at version 5, then the platform is known to hold the value', () => {
    const inbound = decideInbound(linkedState(), pagerDutyEvent('incident.acknowledged', externalValues({ status: 'acknowledged' }), { at: T0 + 10 }), config, T0 + 11);
    const commandId = inbound.platformWrite?.commandId ?? '';
    const acked = acknowledgeWrite(inbound.state, { side: 'platform', commandId, stamp: 5 }, config, T0 + 12);
    expect(acked.state.fields.status.platform).toMatchObject({ value: 'mitigated', stamp: 5 });
    expect(acked.state.fields.status.pending.platform).toEqual([]);
  });
});

describe('abandonWrite', () => {
  it('given a pending write whose dead letter was discarded, when it is abandoned, then it is no longer expected and nothing is written', () => {
    const { state, commandId } = retitled();
    const abandoned = abandonWrite(state, { side: 'external', commandId, reason: 'discarded from the DLQ' }, config, T0 + 20);
    expect(abandoned.state.fields.title.pending.external).toEqual([]);
    expect(abandoned.decisions[0]).toMatchObject({ field: 'title', outcome: 'write-abandoned' });
    expect(abandoned.decisions[0]?.reason).toContain('discarded from the DLQ');
    expect(abandoned.externalWrite).toBeNull();
  });
});

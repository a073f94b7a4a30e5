import { acknowledgeWrite } from './acknowledge-write';
import { decideInbound } from './decide-inbound';
import { decideOutbound } from './decide-outbound';
import { T0, externalValues, linkedState, pagerDutyEvent, settings, userChange } from '../testing/sync-builders';

/**
 * A person reopens the platform incident (mitigated → open) while PagerDuty holds it
 * acknowledged: our write of `triggered` is one PagerDuty's REST API refuses (400 1003).
 */
function reopenWhileAcknowledged(config = settings()) {
  const acknowledged = decideInbound(linkedState(config), pagerDutyEvent('incident.acknowledged', externalValues({ status: 'acknowledged' }), { at: T0 + 1000 }), config, T0 + 1100);
  const reopened = decideOutbound(acknowledged.state, userChange(2, T0 + 2000, { status: { old: 'mitigated', new: 'open' } }), config, T0 + 2100);
  return { config, reopened };
}

describe('a write PagerDuty refuses', () => {
  it('given the platform reopens an incident PagerDuty holds acknowledged, then triggered is written to PagerDuty', () => {
    const { reopened } = reopenWhileAcknowledged();
    expect(reopened.externalWrite?.update.status).toBe('triggered');
  });

  it('given PagerDuty refuses triggered, then the link follows PagerDuty: the platform is set back to mitigated and its timeline says why', () => {
    const { config, reopened } = reopenWhileAcknowledged();
    const commandId = reopened.externalWrite?.commandId as string;
    const result = acknowledgeWrite(reopened.state, { side: 'external', commandId, stamp: T0 + 3000, refused: { fields: ['status'], reason: 'only a responder can unacknowledge it' } }, config, T0 + 3100);
    expect(result.platformWrite?.set.status).toBe('mitigated');
    expect(result.externalWrite).toBeNull();
    const decision = result.decisions.find((d) => d.field === 'status');
    expect(decision?.outcome).toBe('write-refused');
    expect(decision?.reason).toContain('PagerDuty keeps acknowledged, so the platform follows it (mitigated)');
    expect(result.timeline).toEqual([expect.objectContaining({ kind: 'sync', text: expect.stringContaining('only a responder can unacknowledge it') })]);
    expect(result.state.fields.status.pending.external).toEqual([]);
    expect(result.state.fields.status.target).toMatchObject({ platform: 'mitigated', external: 'acknowledged', source: 'external' });
  });

  it('given the refused field also carried a title that was stored, then the title is confirmed as usual', () => {
    const config = settings();
    const { reopened } = reopenWhileAcknowledged(config);
    const titled = decideOutbound(reopened.state, userChange(3, T0 + 2200, { title: { old: 'Checkout latency', new: 'Reopened' } }), config, T0 + 2300);
    const commandId = titled.externalWrite?.commandId as string;
    const result = acknowledgeWrite(titled.state, { side: 'external', commandId, stamp: T0 + 3000, written: { title: 'Reopened' } }, config, T0 + 3100);
    expect(result.decisions.find((d) => d.field === 'title')?.outcome).toBe('write-confirmed');
  });
});

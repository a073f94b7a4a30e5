import { randomUUID } from 'node:crypto';
import { PagerDutyCommandV1 } from '@incident-sync/contracts';
import { PendingCommand, planNextRequest, WorkUnit } from './coalesce-commands';
import { commandResultOf, writtenPerCommand } from './command-results';

const NOW = 1_000_000;
let seq = 0;
const update = (fields: PagerDutyCommandV1['update']): PendingCommand => {
  seq += 1;
  const command: PagerDutyCommandV1 = {
    commandId: randomUUID(), organizationId: 'org', integrationId: 'int', platformIncidentId: 'A', pdIncidentId: 'PA',
    action: 'update_incident', update: fields, issuedAt: new Date(NOW).toISOString(),
  };
  return { commandId: command.commandId, seq, platformIncidentId: 'A', pdIncidentId: 'PA', action: 'update_incident', command, attempts: 0, nextAttemptAt: NOW - 1, createOutcomeUnknown: false };
};
const unitOf = (rows: PendingCommand[]): Extract<WorkUnit, { action: 'update_incident' }> => {
  const plan = planNextRequest(rows, new Map(), NOW);
  if (plan.kind !== 'dispatch' || plan.unit.action !== 'update_incident') throw new Error('expected an update unit');
  return plan.unit;
};

describe('command results: what a coalesced request carried, per command', () => {
  it('given SEV-3 then SEV-1 coalesced into one PUT, when it succeeds, then the first command reports its severity superseded and only the value actually sent as written', () => {
    const first = update({ title: 'round 1', urgency: 'low', priorityId: 'PPRI003' });
    const second = update({ title: 'round 2', urgency: 'high', priorityId: 'PPRI001' });
    const unit = unitOf([first, second]);

    const perCommand = writtenPerCommand(unit, unit.fields);

    expect(perCommand).toEqual([
      { commandId: first.commandId, written: { title: 'round 2', urgency: 'high', priorityId: 'PPRI001' }, superseded: ['title', 'urgency', 'priorityId'] },
      { commandId: second.commandId, written: { title: 'round 2', urgency: 'high', priorityId: 'PPRI001' }, superseded: [] },
    ]);
  });

  it('given a later command that sets other fields only, when the request carries both, then the earlier command wrote its own values and nothing is superseded', () => {
    const first = update({ status: 'acknowledged' });
    const second = update({ title: 'renamed' });
    const unit = unitOf([first, second]);

    expect(writtenPerCommand(unit, unit.fields)).toEqual([
      { commandId: first.commandId, written: { status: 'acknowledged' }, superseded: [] },
      { commandId: second.commandId, written: { title: 'renamed' }, superseded: [] },
    ]);
  });

  it('given a later command repeating the same value and clearing the priority (null), when reported, then equal values count as written and null is a value', () => {
    const first = update({ urgency: 'low', priorityId: null });
    const second = update({ urgency: 'low' });
    const unit = unitOf([first, second]);

    expect(writtenPerCommand(unit, unit.fields)?.[0]).toEqual({ commandId: first.commandId, written: { urgency: 'low', priorityId: null }, superseded: [] });
  });

  it('given a request that sent nothing, when reported, then no command claims a written value', () => {
    const only = update({ title: 'x' });
    expect(writtenPerCommand(unitOf([only]), {})).toEqual([{ commandId: only.commandId, written: {}, superseded: ['title'] }]);
  });

  it('given a succeeded update, the result names every command and carries perCommand; a failed one carries none', () => {
    const first = update({ urgency: 'low' });
    const second = update({ urgency: 'high' });
    const unit = unitOf([first, second]);
    const context = { integrationId: 'int', organizationId: 'org' };

    const ok = commandResultOf(unit, context, 'succeeded', { pdIncidentId: 'PA', written: unit.fields }, new Date(NOW));
    expect(ok).toMatchObject({ commandIds: [first.commandId, second.commandId], outcome: 'succeeded', written: { urgency: 'high' }, completedAt: new Date(NOW).toISOString() });
    expect(ok.perCommand?.map((c) => c.superseded)).toEqual([['urgency'], []]);

    const failed = commandResultOf(unit, context, 'failed', { error: { code: 'HTTP_400', message: 'bad' } });
    expect(failed.perCommand).toBeUndefined();
    expect(failed.commandIds).toEqual([first.commandId, second.commandId]);
  });
});

import { randomUUID } from 'node:crypto';
import { PagerDutyCommandV1 } from '@incident-sync/contracts';
import { mergeUpdateFields, PendingCommand, planNextRequest } from './coalesce-commands';

let seq = 0;
const NOW = 1_000_000;
const cmd = (incident: string, action: PagerDutyCommandV1['action'], extra: Partial<PagerDutyCommandV1> = {}, row: Partial<PendingCommand> = {}): PendingCommand => {
  seq += 1;
  const command: PagerDutyCommandV1 = {
    commandId: randomUUID(), organizationId: 'org', integrationId: 'int', platformIncidentId: incident, pdIncidentId: extra.pdIncidentId ?? null,
    action, issuedAt: new Date(NOW).toISOString(), ...extra,
  };
  return { commandId: command.commandId, seq, platformIncidentId: incident, pdIncidentId: command.pdIncidentId, action, command, attempts: 0, nextAttemptAt: NOW - 1, createOutcomeUnknown: false, ...row };
};
const none = new Map<string, string>();

describe('coalescing pending commands', () => {
  it('given a burst of 20 updates to one incident, one request carries the last value of each field', () => {
    const burst = Array.from({ length: 20 }, (_, i) => cmd('A', 'update_incident', { pdIncidentId: 'PA', update: i % 2 ? { title: `t${i}` } : { urgency: i < 10 ? 'high' : 'low' } }));
    const plan = planNextRequest(burst, none, NOW);
    expect(plan.kind).toBe('dispatch');
    if (plan.kind !== 'dispatch' || plan.unit.action !== 'update_incident') throw new Error('expected an update');
    expect(plan.unit.commands).toHaveLength(20);
    expect(plan.unit.fields).toEqual({ title: 't19', urgency: 'low' });
    expect(plan.unit.pdIncidentId).toBe('PA');
  });

  it('notes are never merged away: each one is its own request, in order, and updates merge across them', () => {
    const rows = [cmd('A', 'add_note', { pdIncidentId: 'PA', note: { content: 'first' } }), cmd('A', 'update_incident', { pdIncidentId: 'PA', update: { status: 'acknowledged' } }), cmd('A', 'add_note', { pdIncidentId: 'PA', note: { content: 'second' } }), cmd('A', 'update_incident', { pdIncidentId: 'PA', update: { status: 'resolved' } })];
    const first = planNextRequest(rows, none, NOW);
    expect(first.kind === 'dispatch' && first.unit.action === 'add_note' && first.unit.content).toBe('first');
    const second = planNextRequest(rows.slice(1), none, NOW);
    expect(second.kind === 'dispatch' && second.unit.action === 'update_incident' && second.unit.fields).toEqual({ status: 'resolved' });
    expect(second.kind === 'dispatch' && second.unit.commands.map((c) => c.command.update?.status)).toEqual(['acknowledged', 'resolved']);
    const third = planNextRequest([rows[2]!], none, NOW);
    expect(third.kind === 'dispatch' && third.unit.action === 'add_note' && third.unit.content).toBe('second');
  });

  it('updates to an incident whose create is pending wait for the create, then learn its PagerDuty id', () => {
    const create = cmd('A', 'create_incident', { create: { title: 't', serviceId: 'S', incidentKey: 'A' } });
    const update = cmd('A', 'update_incident', { update: { title: 'u' } });
    const plan = planNextRequest([update, create].sort(() => -1), none, NOW);
    expect(plan.kind === 'dispatch' && plan.unit.action).toBe('create_incident');
    expect(plan.kind === 'dispatch' && plan.unit.commands).toEqual([create]);
    const after = planNextRequest([update], new Map([['A', 'PNEW']]), NOW);
    expect(after.kind === 'dispatch' && after.unit.action === 'update_incident' && after.unit.pdIncidentId).toBe('PNEW');
  });

  it('different incidents go oldest first, and an incident in backoff does not block the others', () => {
    const a = cmd('A', 'update_incident', { pdIncidentId: 'PA', update: { title: 'a' } }, { nextAttemptAt: NOW + 5000, attempts: 2 });
    const b = cmd('B', 'update_incident', { pdIncidentId: 'PB', update: { title: 'b' } });
    const plan = planNextRequest([a, b], none, NOW);
    expect(plan.kind === 'dispatch' && plan.unit.platformIncidentId).toBe('B');
    expect(planNextRequest([a], none, NOW)).toEqual({ kind: 'wait', untilMs: NOW + 5000 });
    expect(planNextRequest([], none, NOW)).toEqual({ kind: 'idle' });
  });

  it('a merged unit carries the highest attempt count and a create with unknown outcome is looked up first', () => {
    const retried = cmd('A', 'update_incident', { pdIncidentId: 'PA', update: { title: 'a' } }, { attempts: 3 });
    const fresh = cmd('A', 'update_incident', { pdIncidentId: 'PA', update: { title: 'b' } });
    const plan = planNextRequest([retried, fresh], none, NOW);
    expect(plan.kind === 'dispatch' && plan.unit.attempts).toBe(3);
    const create = cmd('C', 'create_incident', { create: { title: 't', serviceId: 'S', incidentKey: 'C' } }, { createOutcomeUnknown: true });
    const createPlan = planNextRequest([create], none, NOW);
    expect(createPlan.kind === 'dispatch' && createPlan.unit.action === 'create_incident' && createPlan.unit.lookupFirst).toBe(true);
  });

  it('mergeUpdateFields: later values win, a null priority clears, absent fields are untouched', () => {
    expect(mergeUpdateFields([{ priorityId: 'P1', title: 'x' }, { priorityId: null }, undefined, { urgency: 'low' }])).toEqual({ priorityId: null, title: 'x', urgency: 'low' });
  });
});

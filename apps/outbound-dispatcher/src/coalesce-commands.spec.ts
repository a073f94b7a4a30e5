import { randomUUID } from 'node:crypto';
import { PagerDutyCommandV1 } from '@incident-sync/contracts';
import { COALESCE_MAX_HOLD_MS, COALESCE_QUIET_MS, mergeUpdateFields, PendingCommand, planNextRequest } from './coalesce-commands';

let seq = 0;
const NOW = 1_000_000;
const cmd = (incident: string, action: PagerDutyCommandV1['action'], extra: Partial<PagerDutyCommandV1> = {}, row: Partial<PendingCommand> = {}): PendingCommand => {
  seq += 1;
  const command: PagerDutyCommandV1 = {
    commandId: randomUUID(), organizationId: 'org', integrationId: 'int', platformIncidentId: incident, pdIncidentId: extra.pdIncidentId ?? null,
    action, issuedAt: new Date(NOW).toISOString(), ...extra,
  };
  return { commandId: command.commandId, seq, platformIncidentId: incident, pdIncidentId: command.pdIncidentId, action, command, attempts: 0, nextAttemptAt: NOW - 1, createOutcomeUnknown: false, receivedAt: new Date(NOW - 1000), ...row };
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

  describe('under budget pressure, updates wait for their incident\'s edits to pause', () => {
    const update = (incident: string, title: string, receivedAt: number) => cmd(incident, 'update_incident', { pdIncidentId: `P${incident}`, update: { title } }, { receivedAt: new Date(receivedAt) });

    it('given 100 edits to 10 incidents within one second at 120/min (burst 20), at most 20 requests carry them and every last title lands', () => {
      // A simulated dispatcher: the bucket of 120/min (20 tokens, one every 500 ms), edits
      // arriving 100 ms apart per round, a plan whenever a token is free (as the scheduler does).
      const rate = 120, capacity = 20;
      let tokens = capacity; // a full burst: without the hold it would all go out one edit per request
      const incoming = Array.from({ length: 100 }, (_, i) => ({ at: NOW + Math.floor(i / 10) * 100 + (i % 10), incident: `I${i % 10}`, title: `round ${Math.floor(i / 10)}` }));
      let queue: PendingCommand[] = [];
      const sent: { incident: string; title: string | undefined }[] = [];
      for (let now = NOW; now < NOW + 10_000; now += 10) {
        tokens = Math.min(capacity, tokens + (10 * rate) / 60_000);
        while (incoming[0] && incoming[0].at <= now) {
          const e = incoming.shift()!;
          queue.push(update(e.incident, e.title, e.at));
        }
        while (tokens >= 1) {
          const plan = planNextRequest(queue, none, now, { tokens: Math.floor(tokens), capacity });
          if (plan.kind !== 'dispatch' || plan.unit.action !== 'update_incident') break;
          tokens -= 1;
          sent.push({ incident: plan.unit.platformIncidentId, title: plan.unit.fields.title });
          const done = new Set(plan.unit.commands);
          queue = queue.filter((c) => !done.has(c));
        }
      }
      expect(queue).toHaveLength(0);
      expect(sent.length).toBeLessThanOrEqual(20);
      for (let i = 0; i < 10; i += 1) expect(sent.filter((s) => s.incident === `I${i}`).at(-1)?.title).toBe('round 9');
    });

    it('with tokens to spare nothing waits: a fresh edit goes at once', () => {
      const plan = planNextRequest([update('A', 'new', NOW)], none, NOW, { tokens: 10_000, capacity: 10_000 });
      expect(plan.kind).toBe('dispatch');
    });

    it('a held incident waits until its edits pause, at most COALESCE_MAX_HOLD_MS after the oldest, while other incidents flow', () => {
      const budget = { tokens: 3, capacity: 20 };
      const rows = [update('A', 'a1', NOW - 100), update('A', 'a2', NOW - 10), cmd('B', 'add_note', { pdIncidentId: 'PB', note: { content: 'n' } })];
      const plan = planNextRequest(rows, none, NOW, budget);
      expect(plan.kind === 'dispatch' && plan.unit.action).toBe('add_note');
      expect(planNextRequest(rows.slice(0, 2), none, NOW, budget)).toEqual({ kind: 'wait', untilMs: NOW - 10 + COALESCE_QUIET_MS });
      const steady = Array.from({ length: 30 }, (_, i) => update('A', `s${i}`, NOW - COALESCE_MAX_HOLD_MS + i * 100));
      const capped = planNextRequest(steady, none, NOW, budget);
      expect(capped.kind === 'dispatch' && capped.unit.commands).toHaveLength(30);
    });
  });
});

import type { PagerDutyCreateCommand } from '@incident-sync/sync-domain';
import { pagerDutyCommandUuid, platformCommandUuid } from './command-ids';
import { createCommands, LinkRef, noteCommand, toUpdateFields, updateCommands } from './pagerduty-command-builder';
import { platformCreateCommand, platformUpdateCommand, timelineCommand } from './platform-command-builder';
import { accountPriorities, NO_PRIORITIES, priorityResolver } from './priority-resolution';

const link: LinkRef = { organizationId: 'org-1', integrationId: 'int-1', linkId: 'link-1', platformIncidentId: '5f0f8f4e-58c3-4c2b-9a55-3b5b7e1c0a01', pdIncidentId: 'PINC1' };
const NOW = new Date('2026-11-26T12:00:00.000Z');
const priorities = priorityResolver(accountPriorities([{ id: 'PPRI001', name: 'P1' }, { id: 'PPRI003', name: 'P3' }]));
const noPriorities = priorityResolver(NO_PRIORITIES);

describe('PagerDuty command building', () => {
  it('given a domain update, then it becomes the dispatcher\'s fields with priority names turned into ids', () => {
    expect(toUpdateFields({ title: 'x', status: 'acknowledged', urgency: 'low', priority: 'P3', assigneeId: 'PUSR2', escalationPolicyId: 'PEP2' }, priorities))
      .toEqual({ title: 'x', status: 'acknowledged', urgency: 'low', priorityId: 'PPRI003', assigneeUserId: 'PUSR2', escalationPolicyId: 'PEP2' });
    expect(toUpdateFields({ priority: null }, priorities)).toEqual({ priorityId: null });
  });

  it('given an account without priorities, then a severity edit sends urgency only, and a create no priority', () => {
    expect(toUpdateFields({ urgency: 'low', priority: 'P3' }, noPriorities)).toEqual({ urgency: 'low' });
    expect(toUpdateFields({ priority: null }, noPriorities)).toBeUndefined();
    const plan: PagerDutyCreateCommand = {
      commandId: 'link-1/1', incidentKey: link.platformIncidentId, title: 'Checkout down', urgency: 'high', priority: 'P1', details: null, assigneeId: null, escalationPolicyId: null, followUp: null,
    };
    expect(createCommands(link, plan, 'PSVC1', noPriorities, 'evt-1', NOW)[0]!.command.create).not.toHaveProperty('priorityId');
    expect(createCommands(link, plan, 'PSVC1', priorities, 'evt-1', NOW)[0]!.command.create).toMatchObject({ priorityId: 'PPRI001' });
  });

  it('given a null assignee or policy (PagerDuty cannot unassign by PUT), then nothing is sent for them', () => {
    expect(toUpdateFields({ assigneeId: null, escalationPolicyId: null }, priorities)).toBeUndefined();
  });

  it('given a write with fields and a description note, then one update and one note command, with stable ids', () => {
    const issued = updateCommands(link, { commandId: 'link-1/7', update: { title: 'new' }, note: 'Description updated' }, priorities, 'evt-1', NOW);
    expect(issued.map((i) => i.command.action)).toEqual(['update_incident', 'add_note']);
    expect(issued[0]!.command).toMatchObject({ commandId: pagerDutyCommandUuid('link-1/7', 'update'), pdIncidentId: 'PINC1', update: { title: 'new' }, causationId: 'evt-1' });
    expect(issued[1]!.command.note).toEqual({ content: 'Description updated' });
    expect(updateCommands(link, { commandId: 'link-1/7', update: { title: 'new' }, note: null }, priorities, 'evt-1', NOW)[0]!.command.commandId).toBe(issued[0]!.command.commandId);
  });

  it('given a create plan, then incident_key is the platform incident id and a non-triggered status follows as an update', () => {
    const plan: PagerDutyCreateCommand = {
      commandId: 'link-1/1', incidentKey: link.platformIncidentId, title: 'Checkout down', urgency: 'high', priority: 'P1', details: 'desc',
      assigneeId: null, escalationPolicyId: 'PEP1', followUp: { status: 'acknowledged' },
    };
    const [create, followUp] = createCommands({ ...link, pdIncidentId: null }, plan, 'PSVC1', priorities, 'evt-2', NOW);
    expect(create!.command).toMatchObject({
      action: 'create_incident', pdIncidentId: null,
      create: { title: 'Checkout down', serviceId: 'PSVC1', incidentKey: link.platformIncidentId, urgency: 'high', priorityId: 'PPRI001', details: 'desc', escalationPolicyId: 'PEP1' },
    });
    expect(followUp!.command).toMatchObject({ action: 'update_incident', update: { status: 'acknowledged' } });
  });

  it('a platform note becomes an add_note command whose id derives from the note', () => {
    const a = noteCommand(link, 'note-1', 'text', 'evt', NOW);
    expect(a.command).toMatchObject({ action: 'add_note', note: { content: 'text' } });
    expect(noteCommand(link, 'note-1', 'text', 'evt', NOW).command.commandId).toBe(a.command.commandId);
  });
});

describe('platform command building', () => {
  it('given a domain write, then an update with base values, the policy name and the PagerDuty reference', () => {
    const command = platformUpdateCommand(link, { commandId: 'link-1/3', set: { status: 'mitigated', escalation_policy: 'PEP2' }, labels: { escalationPolicyName: 'Payments' } },
      { status: 'open', escalation_policy: 'PEP1' }, { id: 'PINC1', number: 12, url: 'https://x/incidents/PINC1' }, 'evt', NOW);
    expect(command).toMatchObject({
      commandId: platformCommandUuid('link-1/3'), type: 'update', incidentId: link.platformIncidentId,
      fields: { status: 'mitigated', escalation_policy: 'PEP2', escalation_policy_name: 'Payments' },
      baseValues: { status: 'open', escalation_policy: 'PEP1' },
      externalRef: { system: 'pagerduty', id: 'PINC1', number: '12', url: 'https://x/incidents/PINC1' },
    });
  });

  it('given a PagerDuty incident to mirror, then a create with the chosen id, the incident type and a sync timeline entry', () => {
    const command = platformCreateCommand(link, {
      commandId: 'link-1/1', incidentType: 'payments', pagerDutyIncidentId: 'PINC1',
      fields: { title: 't', description: null, severity: 'SEV-2', status: 'open', assigned_to: 'bob@example.com', escalation_policy: 'PEP1' },
      labels: { escalationPolicyName: 'Default', assigneeName: 'Bob' },
    }, { id: 'PINC1', number: 5, url: null }, 'evt', NOW);
    expect(command).toMatchObject({ type: 'create', incidentId: link.platformIncidentId, fields: { incident_type: 'payments', escalation_policy_name: 'Default', assigned_to: 'bob@example.com' } });
    expect(command.timelineEntry?.message).toContain('#5');
  });

  it('timeline entries get ids from their dedupe key, so a redelivered note is one entry', () => {
    const entry = { kind: 'note' as const, text: 'hi', occurredAt: 1, author: 'Bob', dedupeKey: 'pagerduty-note:N1' };
    expect(timelineCommand(link, entry, 'a', NOW).commandId).toBe(timelineCommand(link, entry, 'b', NOW).commandId);
  });
});

import type { PlatformIncidentChangedV1 } from '@incident-sync/contracts';
import { emptyLinkState, skippedPlatformWrite, userMappingFromPairs, type IntegrationSettings } from '@incident-sync/sync-domain';
import { baseValuesFor } from './decision-committer.service';
import { platformCommandUuid } from './command-ids';
import { skippedWriteOf, withDomainCommandId } from './outbound-sync.service';
import { incidentDataOf } from './pagerduty-event-data';
import { toPlatformChange, toPlatformSnapshot } from './platform-change';

const event = (over: Partial<PlatformIncidentChangedV1> = {}): PlatformIncidentChangedV1 => ({
  eventId: 'e1', organizationId: 'org', incidentId: 'i1', version: 4, changeType: 'updated',
  changes: [
    { field: 'status', oldValue: 'open', newValue: 'mitigated' },
    { field: 'escalation_policy_name', oldValue: null, newValue: 'Payments' },
    { field: 'severity', oldValue: 'SEV-2', newValue: 'SEV-9' },
  ],
  incident: {
    id: 'i1', number: 'INC-1', organizationId: 'org', title: 't', description: null, severity: 'SEV-2', status: 'mitigated', assignedTo: 'a@example.com',
    escalationPolicyId: 'PEP1', escalationPolicyName: 'Payments', incidentType: 'payments', version: 4, createdAt: '2026-11-26T12:00:00.000Z', updatedAt: '2026-11-26T12:00:01.000Z',
  },
  origin: { type: 'api', actor: 'ci-key' },
  occurredAt: '2026-11-26T12:00:01.000Z',
  ...over,
});

describe('platform change → sync-domain input', () => {
  it('given a change event, then only synced fields with valid values are kept (labels and unknown values are not)', () => {
    const change = toPlatformChange(event());
    expect(change).toEqual({ version: 4, occurredAt: Date.parse('2026-11-26T12:00:01.000Z'), origin: { type: 'api', actor: 'ci-key' }, changes: { status: { old: 'open', new: 'mitigated' } } });
  });

  it('given our own command came back, then the origin names the domain write it carried', () => {
    const state = emptyLinkState('link-1', 'int-1');
    state.fields.status.pending.platform.push({ commandId: 'link-1/4', value: 'mitigated', issuedAt: 0, basedOnStamp: 3 });
    const ours = toPlatformChange(event({ origin: { type: 'integration', integrationId: 'int-1', commandId: platformCommandUuid('link-1/4'), actor: 'integration:int-1' } }));
    expect(withDomainCommandId(ours, state).origin).toEqual({ type: 'integration', integrationId: 'int-1', commandId: 'link-1/4' });
    const unknown = toPlatformChange(event({ origin: { type: 'integration', integrationId: 'int-1', commandId: '00000000-0000-4000-8000-000000000000', actor: 'x' } }));
    expect(withDomainCommandId(unknown, state).origin).toEqual({ type: 'integration', integrationId: 'int-1', commandId: null });
  });

  it('the snapshot carries every synced field of the incident', () => {
    expect(toPlatformSnapshot(event()).fields).toEqual({ title: 't', description: null, severity: 'SEV-2', status: 'mitigated', assigned_to: 'a@example.com', escalation_policy: 'PEP1' });
  });

  it('base values are the last earlier pending write, else the last observation, else absent; the write itself is not its own base', () => {
    const state = emptyLinkState('link-1', 'int-1');
    state.fields.status.platform = { value: 'open', stamp: 2, at: 0 };
    state.fields.title.platform = { value: 'old', stamp: 2, at: 0 };
    state.fields.title.pending.platform.push({ commandId: 'c', value: 'pending title', issuedAt: 0, basedOnStamp: 2 });
    state.fields.title.pending.platform.push({ commandId: 'new', value: 'x', issuedAt: 1, basedOnStamp: 2 });
    state.fields.status.pending.platform.push({ commandId: 'new', value: 'resolved', issuedAt: 1, basedOnStamp: 2 });
    expect(baseValuesFor(state, { status: 'resolved', title: 'x', severity: 'SEV-1' }, 'new')).toEqual({ status: 'open', title: 'pending title' });
  });
});

describe('a platform write the incidents service skipped', () => {
  const ours = { type: 'integration' as const, integrationId: 'int-1', commandId: platformCommandUuid('link-1/4'), actor: 'integration:int-1' };
  const stuck = () => {
    const state = emptyLinkState('link-1', 'int-1');
    state.fields.assigned_to.platform = { value: 'alice@example.com', stamp: 3, at: 0 };
    state.fields.status.platform = { value: 'open', stamp: 3, at: 0 };
    // One command carried both fields; a person assigned the incident before it arrived.
    state.fields.assigned_to.pending.platform.push({ commandId: 'link-1/4', value: 'pd-user@example.com', issuedAt: 0, basedOnStamp: 2 });
    state.fields.status.pending.platform.push({ commandId: 'link-1/4', value: 'mitigated', issuedAt: 0, basedOnStamp: 2 });
    return state;
  };

  it('given the event names a skipped synced field of our command, then only that field of the write is abandoned, and the next write expects what the platform holds', () => {
    const state = stuck();
    const report = event({ changes: [], skipped: [{ field: 'assigned_to', reason: 'changed_since' }, { field: 'incident_type', reason: 'invalid_value' }], origin: ours });
    report.incident = { ...report.incident, assignedTo: 'alice@example.com', status: 'open', version: 3 };
    const abandoned = skippedWriteOf(withDomainCommandId(toPlatformChange(report), state), report, 'int-1');
    expect(abandoned).toEqual({ side: 'platform', commandId: 'link-1/4', fields: ['assigned_to'], changedSince: ['assigned_to'], reason: expect.stringContaining('changed it on the platform after the sync read it') });
    // Before: every later assignee write expected the skipped value, and was skipped in turn.
    expect(baseValuesFor(state, { assigned_to: 'bob@example.com' }, 'link-1/9')).toEqual({ assigned_to: 'pd-user@example.com' });
    const config: IntegrationSettings = { integrationId: 'int-1', direction: 'bidirectional', enabled: true, conflictStrategy: 'last-write-wins', priorityMapping: { toExternal: {}, toPlatform: {} } as never, userMapping: userMappingFromPairs([]), syncEscalations: true };
    const after = skippedPlatformWrite(state, abandoned!, toPlatformSnapshot(report), config, 1).state;
    expect(after.fields.assigned_to.pending.platform).toEqual([]);
    expect(after.fields.status.pending.platform).toHaveLength(1);
    expect(baseValuesFor(after, { assigned_to: 'bob@example.com' }, 'link-1/9')).toEqual({ assigned_to: 'alice@example.com' });
  });

  it('given no skipped field, another integration, or a person as the origin, then nothing is abandoned', () => {
    const state = stuck();
    const none = event({ origin: ours });
    expect(skippedWriteOf(withDomainCommandId(toPlatformChange(none), state), none, 'int-1')).toBeNull();
    const other = event({ skipped: [{ field: 'assigned_to', reason: 'changed_since' }], origin: { ...ours, integrationId: 'int-2' } });
    expect(skippedWriteOf(withDomainCommandId(toPlatformChange(other), state), other, 'int-1')).toBeNull();
    const person = event({ skipped: [{ field: 'assigned_to', reason: 'changed_since' }] });
    expect(skippedWriteOf(toPlatformChange(person), person, 'int-1')).toBeNull();
  });
});

describe('webhook incident data', () => {
  it('reads number, URL and incident_key of incident data, and nothing from note data', () => {
    expect(incidentDataOf({ data: { type: 'incident', id: 'P1', number: 7, html_url: 'https://x', incident_key: 'k' } })).toEqual({ number: 7, htmlUrl: 'https://x', incidentKey: 'k', mergedInto: null });
    const merged = { type: 'incident', id: 'P1', status: 'resolved', resolve_reason: { type: 'merge_resolve_reason', incident: { id: 'PTGT', type: 'incident_reference' } } };
    expect(incidentDataOf({ data: merged }).mergedInto).toBe('PTGT');
    expect(incidentDataOf({ data: { ...merged, resolve_reason: null } }).mergedInto).toBeNull();
    expect(incidentDataOf({ data: { type: 'incident_note', incident: { id: 'P1' } } })).toEqual({ number: null, htmlUrl: null, incidentKey: null, mergedInto: null });
  });
});

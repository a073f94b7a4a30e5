import acknowledged from '../__fixtures__/acknowledged.zulip.json';
import annotated from '../__fixtures__/annotated.zulip.json';
import delegated from '../__fixtures__/delegated.zulip.json';
import escalated from '../__fixtures__/escalate.zulip.json';
import priorityUpdated from '../__fixtures__/priority_updated.official.json';
import reassigned from '../__fixtures__/reassigned.zulip.json';
import reopened from '../__fixtures__/reopened.zulip.json';
import triggered from '../__fixtures__/triggered.zulip.json';
import resolved from '../__fixtures__/resolved.zulip.json';
import responderAdded from '../__fixtures__/responder_added.zulip.json';
import responderReplied from '../__fixtures__/responder_replied.zulip.json';
import statusUpdate from '../__fixtures__/status_update_published.zulip.json';
import bridge from '../__fixtures__/conference_bridge_updated.zulip.json';
import workflowStarted from '../__fixtures__/workflow_started.zulip.json';
import unacknowledged from '../__fixtures__/unacknowledged.zulip.json';
import { parsePagerDutyEvent, parsePagerDutyIncidentSnapshot } from './parse-pagerduty-event';

// Fixtures are real Webhooks v3 deliveries (PagerDuty developer docs and captured accounts; see
// libs/pagerduty/fixtures/webhooks/manifest.json for their sources).
const mapping = { P1: 'SEV-1', P2: 'SEV-2', P3: 'SEV-3' } as const;

describe('parsePagerDutyEvent', () => {
  it('given a real incident.priority_updated delivery, then it is about severity and carries the P1 priority with its urgency', () => {
    const change = parsePagerDutyEvent(priorityUpdated, mapping);
    expect(change).toMatchObject({
      classification: 'handled',
      eventType: 'incident.priority_updated',
      pagerDutyIncidentId: 'PGR0VU2',
      agentId: 'PLH1HKV',
      occurredAt: Date.parse('2020-10-02T18:45:22.169Z'),
      primaryFields: ['severity'],
      observed: {
        title: 'A little bump in the road',
        status: 'triggered',
        severity: { urgency: 'high', priority: 'P1' },
        assigned_to: 'PTUXL6G',
        escalation_policy: 'PUS0KTE',
      },
    });
  });

  it('given a real incident.triggered delivery, then it is a snapshot with the PagerDuty service and no primary field', () => {
    const change = parsePagerDutyEvent(triggered, mapping);
    expect(change).toMatchObject({ classification: 'handled', primaryFields: [], serviceId: 'PA2P440' });
    expect(change.observed).toMatchObject({ status: 'triggered', assigned_to: 'PJ0LVEB', severity: { urgency: 'high', priority: null } });
  });

  it('given the older spelling incident.priority_changed, then it is read as incident.priority_updated', () => {
    const seedName = { event: { ...priorityUpdated.event, event_type: 'incident.priority_changed' } };
    const change = parsePagerDutyEvent(seedName, mapping);
    expect(change.eventType).toBe('incident.priority_updated');
    expect(change.rawEventType).toBe('incident.priority_changed');
    expect(change.primaryFields).toEqual(['severity']);
  });

  it('given incident.reassigned, then it is about the assignee (moved to another user)', () => {
    const change = parsePagerDutyEvent(reassigned, mapping);
    expect(change.primaryFields).toEqual(['assigned_to']);
    expect(change.observed.assigned_to).toBe('PI9DT01');
  });

  it('given incident.delegated, then it is about the escalation policy and adds a timeline entry naming the policy', () => {
    const change = parsePagerDutyEvent(delegated, mapping);
    expect(change.primaryFields).toEqual(['escalation_policy']);
    expect(change.observed.escalation_policy).toBe('P3RAX8S');
    expect(change.timeline).toEqual([
      expect.objectContaining({ kind: 'delegated', text: expect.stringContaining('Delegated to escalation policy') }),
    ]);
  });

  it('given incident.escalated, then it changes no field by itself and adds an "escalated" timeline entry', () => {
    const change = parsePagerDutyEvent(escalated, mapping);
    expect(change.primaryFields).toEqual([]);
    expect(change.timeline).toEqual([
      expect.objectContaining({ kind: 'escalated', text: 'Escalated to Harsh Santwani by Harsh Santwani on PagerDuty' }),
    ]);
  });

  it('given incident.annotated, then the note becomes a timeline entry and the incident id comes from data.incident', () => {
    const change = parsePagerDutyEvent(annotated, mapping);
    expect(change.pagerDutyIncidentId).toBe('Q3B15VLMF3ASBD');
    expect(change.observed).toEqual({});
    expect(change.timeline).toEqual([
      {
        kind: 'note',
        text: 'Running KILL on long-running queries from the reporting-service.',
        occurredAt: Date.parse('2026-04-01T02:18:59.674Z'),
        author: 'Harsh Santwani',
        dedupeKey: 'pagerduty-note:PEMJB6G',
        trimmed: false,
      },
    ]);
  });

  it('given incident.resolved (assignments are emptied on resolve), then the assignee is not read from it', () => {
    const change = parsePagerDutyEvent(resolved, mapping);
    expect(change.observed.status).toBe('resolved');
    expect('assigned_to' in change.observed).toBe(false);
  });

  it.each([
    ['acknowledged', acknowledged, 'acknowledged'],
    ['unacknowledged', unacknowledged, 'triggered'],
    ['reopened', reopened, 'triggered'],
  ] as const)('given incident.%s, then it is about status and reports %s', (_name, fixture, status) => {
    const change = parsePagerDutyEvent(fixture, mapping);
    expect(change.primaryFields).toEqual(['status']);
    expect(change.observed.status).toBe(status);
  });

  it('given a real event type we do not act on (workflow.started), then it is classified ignored with a reason', () => {
    const change = parsePagerDutyEvent(workflowStarted, mapping);
    expect(change.classification).toBe('ignored');
    expect(change.note).toContain('does not affect synced fields');
  });

  it('given a real status update, then it is a status_update timeline entry with the full message, keyed by its id', () => {
    const change = parsePagerDutyEvent(statusUpdate, mapping);
    expect(change).toMatchObject({ classification: 'handled', pagerDutyIncidentId: 'Q3B15VLMF3ASBD', primaryFields: [], observed: {} });
    expect(change.timeline).toEqual([expect.objectContaining({
      kind: 'status_update', author: 'Harsh Santwani', dedupeKey: 'pagerduty-status-update:PE8VDWS', trimmed: false,
      text: expect.stringContaining('Investigating a P1 incident with the Checkout API'),
    })]);
  });

  it('given real responder requests and replies, then each is a responder timeline line naming who and what', () => {
    const added = parsePagerDutyEvent(responderAdded, mapping);
    expect(added.classification).toBe('handled');
    expect(added.timeline.map((e) => [e.kind, e.text])).toEqual([['responder', 'Harsh Santwani asked Harsh Santwani to respond on PagerDuty: Please help with "Critical: Checkout API High Latency"']]);
    const replied = parsePagerDutyEvent(responderReplied, mapping);
    expect(replied.timeline[0]?.text).toBe('Harsh Santwani accepted the request to respond on PagerDuty: Checking now. Investigating DB locks on cluster-01 and reviewing latency metrics in Datadog. Will update in 5 mins.');
  });

  it('given a real conference bridge change, then the timeline says where the bridge is; an emptied bridge says it was removed', () => {
    expect(parsePagerDutyEvent(bridge, mapping).timeline.map((e) => [e.kind, e.text])).toEqual([['conference_bridge', 'Conference bridge set by Harsh Santwani on PagerDuty: https://example.com/123-456-789']]);
    const removed = { event: { ...bridge.event, data: { ...bridge.event.data, conference_url: null, conference_numbers: [] } } };
    expect(parsePagerDutyEvent(removed, mapping).timeline[0]?.text).toBe('Conference bridge removed by Harsh Santwani on PagerDuty');
  });

  it('given an incident id that is no PagerDuty id (huge, or with symbols), then the event is malformed and names no incident', () => {
    for (const id of ['P'.repeat(300000), 'Q1/../x', '']) {
      const event = { event: { ...priorityUpdated.event, data: { ...priorityUpdated.event.data, id } } };
      const change = parsePagerDutyEvent(event, mapping);
      expect(change.pagerDutyIncidentId).toBeNull();
      expect(change.classification).toBe('malformed');
    }
  });

  it('given an event type nobody knows, then it is classified unknown and nothing is read from it', () => {
    const change = parsePagerDutyEvent({ event: { ...priorityUpdated.event, event_type: 'incident.teleported' } }, mapping);
    expect(change.classification).toBe('unknown');
    expect(change.observed).toEqual({});
  });

  it.each([
    ['a string', 'not json'],
    ['an event without a type', { event: { id: 'x', occurred_at: '2020-01-01T00:00:00Z' } }],
    ['an event with a bad time', { event: { id: 'x', event_type: 'incident.resolved', occurred_at: 'yesterday' } }],
    ['incident event with note data', { event: { id: 'x', event_type: 'incident.resolved', occurred_at: '2020-01-01T00:00:00Z', data: { type: 'incident_note' } } }],
  ])('given %s, then parsing does not throw and the event is classified malformed', (_what, payload) => {
    expect(parsePagerDutyEvent(payload, mapping).classification).toBe('malformed');
  });

  it('given a REST incident read by the reconciler, then it is a snapshot with no agent, assignee taken from assignments[0]', () => {
    const change = parsePagerDutyIncidentSnapshot(
      {
        incident: {
          id: 'PINC1',
          title: 'Checkout down',
          status: 'acknowledged',
          urgency: 'low',
          priority: { id: 'PRI3', summary: 'P3' },
          assignments: [{ at: '2025-01-01T00:00:00Z', assignee: { id: 'PANN001', type: 'user_reference' } }],
          escalation_policy: { id: 'PEP0001' },
        },
      },
      1_000,
      mapping,
    );
    expect(change).toMatchObject({
      classification: 'handled',
      agentId: null,
      occurredAt: 1_000,
      primaryFields: [],
      observed: {
        title: 'Checkout down',
        status: 'acknowledged',
        severity: { urgency: 'low', priority: 'P3' },
        assigned_to: 'PANN001',
        escalation_policy: 'PEP0001',
      },
    });
  });
});

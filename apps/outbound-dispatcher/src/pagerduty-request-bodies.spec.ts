import { createIncidentBody, updateIncidentBody, writtenByCreate } from './pagerduty-request-bodies';

describe('PagerDuty request bodies (AS createIncident / updateIncident)', () => {
  it('a create is an `incident` with service reference and incident_key; an assignee excludes the escalation policy', () => {
    expect(createIncidentBody({ title: 'db down', serviceId: 'PSVC', incidentKey: 'k-1', urgency: 'high', priorityId: 'PPRI', details: 'more', assigneeUserId: 'PUSR', escalationPolicyId: 'PEP' })).toEqual({
      type: 'incident', title: 'db down', service: { id: 'PSVC', type: 'service_reference' }, incident_key: 'k-1', urgency: 'high',
      priority: { id: 'PPRI', type: 'priority_reference' }, body: { type: 'incident_body', details: 'more' },
      assignments: [{ assignee: { id: 'PUSR', type: 'user_reference' } }],
    });
    expect(createIncidentBody({ title: 't', serviceId: 'S', incidentKey: 'k', escalationPolicyId: 'PEP' }).escalation_policy).toEqual({ id: 'PEP', type: 'escalation_policy_reference' });
  });

  it('an update is an `incident_reference` carrying only the changed fields', () => {
    expect(updateIncidentBody({ status: 'acknowledged' })).toEqual({ type: 'incident_reference', status: 'acknowledged' });
    expect(updateIncidentBody({ title: 'x', urgency: 'low', priorityId: null, assigneeUserId: 'PU', escalationPolicyId: 'PE' })).toEqual({
      type: 'incident_reference', title: 'x', urgency: 'low', priority: null,
      assignments: [{ assignee: { id: 'PU', type: 'user_reference' } }], escalation_policy: { id: 'PE', type: 'escalation_policy_reference' },
    });
  });

  it('reports what a create wrote in the result vocabulary', () => {
    expect(writtenByCreate({ title: 't', serviceId: 'S', incidentKey: 'k', urgency: 'low', escalationPolicyId: 'PE' })).toEqual({ title: 't', urgency: 'low', escalationPolicyId: 'PE' });
  });
});

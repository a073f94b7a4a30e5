import { pagerDutyOperationOf } from './pagerduty-operation';

describe('pagerDutyOperationOf (metric label of a PagerDuty request path)', () => {
  it('keeps resource names and replaces every id', () => {
    expect(pagerDutyOperationOf('/incidents')).toBe('/incidents');
    expect(pagerDutyOperationOf('/incidents/PABC123')).toBe('/incidents/{id}');
    expect(pagerDutyOperationOf('/incidents/PABC123/notes')).toBe('/incidents/{id}/notes');
    expect(pagerDutyOperationOf('/users/me')).toBe('/users/{id}');
    expect(pagerDutyOperationOf('/webhook_subscriptions/PWH1/enable')).toBe('/webhook_subscriptions/{id}/enable');
  });

  it('drops the query and never lets caller input through', () => {
    expect(pagerDutyOperationOf('/incidents?incident_key=secret-key&date_range=all')).toBe('/incidents');
    expect(pagerDutyOperationOf('/incidents/a%40b.com')).toBe('/incidents/{id}');
    expect(pagerDutyOperationOf('/Someone@Example.com/x')).toBe('/{other}/{id}');
    expect(pagerDutyOperationOf('')).toBe('/');
    expect(pagerDutyOperationOf('/a/b/c/d/e/f/g/h/i').split('/').length).toBe(7);
  });
});

import { PdIncident } from '@incident-sync/pagerduty';
import { findOurIncident, isOurIncident } from './create-recovery';

const KEY = '6f1c2b9e-0d1a-4c55-9a57-1b2f3e4d5c6a';
const incident = (id: string, over: Partial<PdIncident> = {}): PdIncident => ({
  id, type: 'incident', incident_number: 1, title: 'Checkout down', status: 'triggered', urgency: 'high',
  incident_key: KEY, created_at: '2026-12-03T08:00:00Z', service: { id: 'PSVC001', type: 'service_reference' }, assignments: [], ...over,
});

describe('create recovery: which listed incident is the one our create made', () => {
  it('only an incident whose own incident_key equals the one we sent', () => {
    expect(isOurIncident(incident('Q1'), { incidentKey: KEY })).toBe(true);
    expect(isOurIncident(incident('Q1', { incident_key: 'someone-else' }), { incidentKey: KEY })).toBe(false);
  });

  it('never an incident without a key (child alerts): PagerDuty lists it when an alert_key matches', () => {
    const { incident_key: _omitted, ...keyless } = incident('Q1');
    expect(isOurIncident(keyless as PdIncident, { incidentKey: KEY })).toBe(false);
    expect(isOurIncident(incident('Q1', { incident_key: null }), { incidentKey: KEY })).toBe(false);
    expect(isOurIncident(incident('Q1', { incident_key: '' }), { incidentKey: '' })).toBe(false);
  });

  it('the service we created on is an extra guard when known', () => {
    expect(isOurIncident(incident('Q1'), { incidentKey: KEY, serviceId: 'PSVC001' })).toBe(true);
    expect(isOurIncident(incident('Q1', { service: { id: 'PSVC002', type: 'service_reference' } }), { incidentKey: KEY, serviceId: 'PSVC001' })).toBe(false);
    // A title edited in PagerDuty does not make it someone else's.
    expect(isOurIncident(incident('Q1', { title: 'renamed by a responder' }), { incidentKey: KEY, serviceId: 'PSVC001' })).toBe(true);
  });

  it('picks ours from a listing that starts with an unrelated keyless incident; null when none is ours', () => {
    const grouped = incident('QGROUPED', { incident_key: undefined, created_at: '2026-12-03T07:00:00Z' });
    const ours = incident('QOURS');
    expect(findOurIncident([grouped, ours], { incidentKey: KEY, serviceId: 'PSVC001' })?.id).toBe('QOURS');
    expect(findOurIncident([grouped], { incidentKey: KEY, serviceId: 'PSVC001' })).toBeNull();
    expect(findOurIncident([], { incidentKey: KEY })).toBeNull();
  });

  it('the newest when several carry our key (an earlier one was resolved)', () => {
    const older = incident('QOLD', { status: 'resolved', created_at: '2026-12-01T08:00:00Z' });
    const newer = incident('QNEW', { created_at: '2026-12-03T08:00:00Z' });
    expect(findOurIncident([older, newer], { incidentKey: KEY })?.id).toBe('QNEW');
    expect(findOurIncident([newer, older], { incidentKey: KEY })?.id).toBe('QNEW');
  });
});

import { valuesAgree, codecFor } from './field-codec.mapping';
import { priorityForSeverity, priorityKeyFromReference, severityForPriority } from './priority-severity.mapping';
import { severityForUrgency, urgencyForSeverity } from './severity-urgency.mapping';
import { pagerDutyStatusFor, platformStatusFor } from './status.mapping';
import { settings } from '../testing/sync-builders';

describe('field mapping', () => {
  describe('severity ↔ urgency', () => {
    it.each([
      ['SEV-1', 'high'],
      ['SEV-2', 'high'],
      ['SEV-3', 'low'],
      ['SEV-4', 'low'],
    ] as const)('given severity %s, when sent to PagerDuty, then the urgency is %s', (severity, urgency) => {
      expect(urgencyForSeverity(severity)).toBe(urgency);
    });

    it('given a SEV-1 incident, when PagerDuty reports high urgency, then it stays SEV-1 (it already maps to high)', () => {
      expect(severityForUrgency('high', 'SEV-1')).toBe('SEV-1');
    });

    it('given a SEV-1 incident, when PagerDuty reports low urgency, then it becomes SEV-3 (the nearest low severity)', () => {
      expect(severityForUrgency('low', 'SEV-1')).toBe('SEV-3');
    });

    it('given a SEV-4 incident, when PagerDuty reports high urgency, then it becomes SEV-2 (the nearest high severity)', () => {
      expect(severityForUrgency('high', 'SEV-4')).toBe('SEV-2');
    });
  });

  describe('priority ↔ severity through the integration table', () => {
    const table = { P1: 'SEV-1', P2: 'SEV-2', P5: 'SEV-4', P4: 'SEV-4' } as const;

    it('given P4 and P5 both mean SEV-4, when SEV-4 is sent, then P4 is written whatever the key order', () => {
      expect(priorityForSeverity('SEV-4', table)).toBe('P4');
    });

    it('given no priority maps to SEV-3, when SEV-3 is sent, then no priority is written', () => {
      expect(priorityForSeverity('SEV-3', table)).toBeNull();
    });

    it('given a webhook priority reference, when the table uses names, then the priority is keyed by its name', () => {
      expect(priorityKeyFromReference({ id: 'PSO75BM', summary: 'P1' }, table)).toBe('P1');
    });

    it('given a webhook priority reference, when the table uses ids, then the priority is keyed by its id', () => {
      expect(priorityKeyFromReference({ id: 'PSO75BM', summary: 'P1' }, { PSO75BM: 'SEV-1' })).toBe('PSO75BM');
    });

    it('given an unmapped priority, when it is read, then it means no severity', () => {
      expect(severityForPriority('P9', table)).toBeUndefined();
      expect(severityForPriority(null, table)).toBeUndefined();
    });
  });

  describe('status', () => {
    it.each([
      ['open', 'triggered'],
      ['mitigated', 'acknowledged'],
      ['resolved', 'resolved'],
      ['closed', 'resolved'],
    ] as const)('given platform status %s, when sent to PagerDuty, then PagerDuty shows %s', (status, pd) => {
      expect(pagerDutyStatusFor(status)).toBe(pd);
    });

    it.each([
      ['triggered', 'mitigated', 'open'],
      ['acknowledged', 'open', 'mitigated'],
      ['resolved', 'open', 'resolved'],
      ['resolved', 'closed', 'closed'],
      ['resolved', null, 'resolved'],
    ] as const)('given PagerDuty shows %s and the platform is %s, when read, then the platform is %s', (pd, current, expected) => {
      expect(platformStatusFor(pd, current)).toBe(expected);
    });
  });

  describe('reading a PagerDuty severity (which part changed drives it)', () => {
    const config = settings();
    const read = (value: { urgency: 'high' | 'low'; priority: string | null }, previous: typeof value | null, current: 'SEV-1' | 'SEV-2' | 'SEV-3' | 'SEV-4') =>
      codecFor('severity').fromExternal(value, { previous, current, priorityChanged: false }, config);

    it('given a P1 incident, when someone lowers only the urgency on PagerDuty, then the severity follows the urgency (SEV-3)', () => {
      expect(read({ urgency: 'low', priority: 'P1' }, { urgency: 'high', priority: 'P1' }, 'SEV-1')).toEqual({ ok: true, value: 'SEV-3' });
    });

    it('given a high-urgency incident, when someone sets priority P4, then the severity follows the priority (SEV-4)', () => {
      expect(read({ urgency: 'high', priority: 'P4' }, { urgency: 'high', priority: 'P2' }, 'SEV-2')).toEqual({ ok: true, value: 'SEV-4' });
    });

    it('given an unmapped priority, when the urgency is high, then the current high severity is kept', () => {
      expect(read({ urgency: 'high', priority: 'P9' }, null, 'SEV-1')).toEqual({ ok: true, value: 'SEV-1' });
    });
  });

  describe('what "in sync" means', () => {
    const config = settings();
    it('given a closed platform incident and a resolved PagerDuty incident, then they are in sync', () => {
      expect(valuesAgree('status', 'closed', 'resolved', config)).toBe(true);
    });
    it('given a mitigated platform incident and a triggered PagerDuty incident, then they are not in sync', () => {
      expect(valuesAgree('status', 'mitigated', 'triggered', config)).toBe(false);
    });
    it('given SEV-4 and PagerDuty priority P5 (also SEV-4) with low urgency, then they are in sync', () => {
      expect(valuesAgree('severity', 'SEV-4', { urgency: 'low', priority: 'P5' }, config)).toBe(true);
    });
    it('given SEV-1 and PagerDuty P1 with low urgency, then they are not in sync (the urgency needs re-aligning)', () => {
      expect(valuesAgree('severity', 'SEV-1', { urgency: 'low', priority: 'P1' }, config)).toBe(false);
    });
    it('given a hand-built user mapping with a mixed-case email, when that user is assigned, then the PagerDuty user is still found', () => {
      const handBuilt = settings({ userMapping: { emailToPagerDuty: { 'Dee@Example.com': 'PDEE004' }, pagerDutyToEmail: { PDEE004: 'Dee@Example.com' } } });
      expect(codecFor('assigned_to').toExternal('dee@example.com', handBuilt)).toEqual({ ok: true, value: 'PDEE004' });
    });
    it('given an assignee whose PagerDuty user is mapped to their email, then they are in sync (emails ignore case)', () => {
      expect(valuesAgree('assigned_to', 'Ann@Example.com', 'PANN001', config)).toBe(true);
    });
  });
});

import { chooseConflictWinner } from './conflict-choice';
import { settings } from '../testing/sync-builders';

/**
 * The automatic conflict choice: a new change on one side meets a value the link was already
 * driving towards from the other side (or an operator). The operator's own decision on a
 * frozen field is resolve-conflict-by-operator.ts.
 */
describe('conflict choice', () => {
  const T = 1_700_000_000_000;

  describe('last-write-wins', () => {
    const lww = settings({ conflictStrategy: 'last-write-wins' });

    it('given PagerDuty changed the title after the platform, then PagerDuty’s change wins', () => {
      expect(chooseConflictWinner(lww, 'title', { side: 'external', at: T + 5 }, { source: 'platform', at: T }).verdict).toBe('change-wins');
    });

    it('given PagerDuty’s change is the earlier one, then the platform’s value stays', () => {
      const choice = chooseConflictWinner(lww, 'title', { side: 'external', at: T }, { source: 'platform', at: T + 5 });
      expect(choice.verdict).toBe('target-wins');
      expect(choice.rule).toMatch(/earlier/);
    });

    it('given both changes carry the same millisecond, then the field’s owner wins (platform owns the title, PagerDuty the assignee)', () => {
      expect(chooseConflictWinner(lww, 'title', { side: 'external', at: T }, { source: 'platform', at: T }).verdict).toBe('target-wins');
      expect(chooseConflictWinner(lww, 'title', { side: 'platform', at: T }, { source: 'external', at: T }).verdict).toBe('change-wins');
      expect(chooseConflictWinner(lww, 'assigned_to', { side: 'external', at: T }, { source: 'platform', at: T }).verdict).toBe('change-wins');
    });

    it('given a tie with an operator’s decision, then the operator’s decision is kept even against the owner', () => {
      const choice = chooseConflictWinner(lww, 'title', { side: 'platform', at: T }, { source: 'operator', at: T });
      expect(choice).toEqual({ verdict: 'target-wins', rule: expect.stringMatching(/operator decision is kept/) });
    });
  });

  describe('ownership-priority', () => {
    it('given PagerDuty owns severity, then PagerDuty’s change wins however late the platform’s value is', () => {
      const owned = settings({ conflictStrategy: 'ownership-priority', fieldOwnership: { severity: { owner: 'external', priority: 10 } } });
      expect(chooseConflictWinner(owned, 'severity', { side: 'external', at: T }, { source: 'platform', at: T + 60_000 }).verdict).toBe('change-wins');
      expect(chooseConflictWinner(owned, 'severity', { side: 'platform', at: T + 60_000 }, { source: 'external', at: T }).verdict).toBe('target-wins');
    });

    it('given the default owners, then the platform wins the title and PagerDuty the escalation policy', () => {
      const defaults = settings({ conflictStrategy: 'ownership-priority' });
      expect(chooseConflictWinner(defaults, 'title', { side: 'external', at: T + 1 }, { source: 'platform', at: T }).verdict).toBe('target-wins');
      expect(chooseConflictWinner(defaults, 'escalation_policy', { side: 'external', at: T }, { source: 'platform', at: T + 1 }).verdict).toBe('change-wins');
    });
  });

  describe('manual-review', () => {
    it('given any conflict, then nobody wins and the field freezes, whatever the times and owners', () => {
      const review = settings({ conflictStrategy: 'manual-review' });
      for (const [change, target] of [[T, T + 1], [T + 1, T], [T, T]] as const) {
        const choice = chooseConflictWinner(review, 'severity', { side: 'external', at: change }, { source: 'platform', at: target });
        expect(choice.verdict).toBe('freeze');
        expect(choice.rule).toMatch(/Manual review/);
      }
    });
  });
});

import { budgetCapacity, budgetReserve } from './pagerduty-budget';

describe('PagerDuty budget priorities', () => {
  it('given 120 requests per minute, then the burst is ten seconds worth and reads leave a quarter of it to writes, reconciliation half', () => {
    expect(budgetCapacity(120)).toBe(20);
    expect(budgetReserve(120, 'write')).toBe(0);
    expect(budgetReserve(120, 'read')).toBe(5);
    expect(budgetReserve(120, 'reconcile')).toBe(10);
  });

  it('given a tiny rate, then every class can still take the one token (no class is starved forever)', () => {
    expect(budgetCapacity(5)).toBe(1);
    expect(budgetReserve(5, 'read')).toBe(0);
    expect(budgetReserve(5, 'reconcile')).toBe(0);
  });
});

import { accountPriorities, NO_PRIORITIES, priorityResolver } from './priority-resolution';

const P = (id: string, name: string): { id: string; name: string } => ({ id, name });

describe('priority resolution (FACTS §2.3, §2.4, §3.12)', () => {
  it('a name resolves to the highest (first listed) priority with that name', () => {
    const resolve = priorityResolver(accountPriorities([P('PSEV1', 'Critical'), P('PPRI001', 'P1'), P('PPRI002', 'P2'), P('PLOW', 'Critical')]));
    expect(resolve('Critical')).toBe('PSEV1');
    expect(resolve('P2')).toBe('PPRI002');
  });

  it('ids resolve to themselves, a null clears, an unknown key goes out as given', () => {
    const resolve = priorityResolver(accountPriorities([P('PPRI001', 'P1'), P('PPRI002', 'PPRI001')]));
    expect(resolve('PPRI001')).toBe('PPRI001');
    expect(resolve('PPRI002')).toBe('PPRI002');
    expect(resolve(null)).toBeNull();
    expect(resolve('P9')).toBe('P9');
  });

  it('an account without priorities (none listed) never gets one, not even a clear', () => {
    expect(accountPriorities([])).toEqual(NO_PRIORITIES);
    const resolve = priorityResolver(NO_PRIORITIES);
    expect(resolve('P1')).toBeUndefined();
    expect(resolve('PPRI001')).toBeUndefined();
    expect(resolve(null)).toBeUndefined();
  });
});

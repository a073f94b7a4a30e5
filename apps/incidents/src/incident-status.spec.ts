import { PLATFORM_STATUSES, PlatformStatus } from '@incident-sync/contracts';
import { checkTransition } from './incident-status';

describe('incident status transitions', () => {
  const legal: [PlatformStatus, PlatformStatus][] = [
    ['open', 'mitigated'], ['open', 'resolved'],
    ['mitigated', 'open'], ['mitigated', 'resolved'],
    ['resolved', 'open'], ['resolved', 'closed'],
  ];
  const isLegal = (from: PlatformStatus, to: PlatformStatus): boolean => from === to || legal.some(([f, t]) => f === from && t === to);

  it.each(PLATFORM_STATUSES.flatMap((from) => PLATFORM_STATUSES.map((to) => [from, to] as const)))('%s → %s follows the table (no reopen flag)', (from, to) => {
    expect(checkTransition(from, to).legal).toBe(isLegal(from, to));
  });

  it('keeps a closed incident closed unless it is reopened explicitly', () => {
    expect(checkTransition('closed', 'open')).toEqual({ legal: false, reason: expect.stringContaining('reopen') });
    expect(checkTransition('closed', 'open', { reopen: true }).legal).toBe(true);
  });

  it('does not let the reopen flag unlock anything but closed → open', () => {
    expect(checkTransition('closed', 'resolved', { reopen: true }).legal).toBe(false);
    expect(checkTransition('closed', 'mitigated', { reopen: true }).legal).toBe(false);
    expect(checkTransition('open', 'closed', { reopen: true }).legal).toBe(false);
  });

  it('explains an illegal change with the statuses that are allowed', () => {
    const check = checkTransition('open', 'closed');
    expect(check.legal).toBe(false);
    if (!check.legal) expect(check.reason).toBe('cannot change status from open to closed; from open it can become mitigated, resolved');
  });
});

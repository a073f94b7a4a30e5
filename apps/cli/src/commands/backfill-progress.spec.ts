import { BackfillJob, followDone, formatEta, fractionDone, progressBar, progressLine } from './backfill-progress';

const job = (over: Partial<BackfillJob> = {}, counts: Partial<BackfillJob['counts']> = {}): BackfillJob => ({
  id: 'job-1', status: 'running', direction: 'inbound', dry_run: false, since: '2026-11-01T00:00:00.000Z', created_at: '2026-12-03T10:00:00.000Z', finished_at: null, runs: 1,
  pagerduty_requests: 3, eta_seconds: 12, plan: [], errors: [],
  counts: { total: 500, scanned: 250, already_linked: 0, already_queued: 0, queued: 250, would_skip: 0, linked: 0, pending: 250, ...counts },
  ...over,
});

describe('backfill progress in the CLI (issue #14)', () => {
  it('given half read and none linked, then a quarter is done (reading and linking both count)', () => {
    expect(fractionDone(job())).toBeCloseTo(0.25);
  });

  it('given a finished job with nothing pending, then it is all done and following ends', () => {
    const done = job({ status: 'succeeded', eta_seconds: 0 }, { scanned: 500, queued: 500, linked: 500, pending: 0 });
    expect(fractionDone(done)).toBe(1);
    expect(followDone(done, 0, 30000)).toBe(true);
  });

  it('given a finished job whose queued incidents still wait, then following goes on until they stop moving', () => {
    const waiting = job({ status: 'succeeded' }, { scanned: 500, queued: 500, linked: 400, pending: 100 });
    expect(followDone(waiting, 1000, 30000)).toBe(false);
    expect(followDone(waiting, 30000, 30000)).toBe(true);
    expect(followDone(job(), 60000, 30000)).toBe(false);
  });

  it('draws a bar with the percentage, the counts and the ETA', () => {
    expect(progressBar(job(), 20)).toBe('[#####---------------]  25% read 250/500, queued 250, linked 0, already linked 0 ETA 12s');
    expect(progressLine(job({ dry_run: true }, { queued: 200, would_skip: 50 }))).toBe('backfill job-1 running (dry run): read 250/500, would link 200, would skip 50, already linked 0, ETA 12s');
  });

  it('writes the ETA in seconds, minutes or hours, and -- while unknown', () => {
    expect([formatEta(null), formatEta(9), formatEta(125), formatEta(7300)]).toEqual(['ETA --', 'ETA 9s', 'ETA 2m05s', 'ETA 2h01m']);
  });

  const outbound = (counts: Partial<NonNullable<BackfillJob['outbound']>['counts']> = {}): NonNullable<BackfillJob['outbound']> => ({
    counts: { total: 30, scanned: 30, already_linked: 0, already_queued: 0, queued: 20, unmapped: 6, skipped_closed: 4, created: 10, pending: 10, ...counts },
    eta_seconds: 10, unmapped: [], plan: [],
  });

  it('given an outbound job, then the line shows the outbound counts and the share counts creates', () => {
    const j = job({ direction: 'outbound', outbound: outbound(), eta_seconds: 10 }, { total: null, scanned: 0, queued: 0, pending: 0 });
    expect(progressLine(j)).toBe('backfill job-1 running: outbound: read 30/30, queued 20, created 10, already linked 0, unmapped 6, closed (skipped) 4, ETA 10s');
    // read 30 + created 10 of 30 + 20 to create.
    expect(fractionDone(j)).toBeCloseTo(40 / 50);
    expect(followDone({ ...j, status: 'succeeded' }, 0, 30000)).toBe(false);
    expect(followDone({ ...j, status: 'succeeded', outbound: outbound({ created: 20, pending: 0 }) }, 0, 30000)).toBe(true);
  });

  it('given both directions, then the line shows the counts per direction', () => {
    const j = job({ direction: 'both', dry_run: true, outbound: outbound({ created: 0, pending: 0 }) }, { total: 10, scanned: 10, queued: 8, would_skip: 2, pending: 0 });
    expect(progressLine(j)).toBe(
      'backfill job-1 running (dry run): inbound: read 10/10, would link 8, would skip 2, already linked 0 | outbound: read 30/30, would create 20, already linked 0, unmapped 6, closed (skipped) 4, ETA 12s',
    );
  });
});
